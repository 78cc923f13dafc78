"""한국어 인터페이스 문구 (용어는 GLOSSARY: 그래디언트 소실, 그래디언트 폭주, ...)."""

TEXT = {
    # --- shell ---------------------------------------------------------------------------
    "nav_start": "시작",
    "nav_techniques": "해결 기법",
    "nav_experiment": "실험",
    "page_overview": "그래디언트 소실과 폭주",
    "page_init": "초기화",
    "page_activations": "활성화 함수",
    "page_batchnorm": "배치 정규화",
    "page_clipping": "그래디언트 클리핑",
    "page_lab": "실험실",
    "sidebar_header": "공통 설정",
    "sidebar_caption": "모든 페이지에 적용되며 링크에 함께 저장됩니다.",
    "dataset": "데이터셋",
    "ds_digits": "digits — 8×8 손글씨 숫자, 실제 데이터 (1,797개)",
    "ds_spirals": "spirals — 2차원, 합성 데이터",
    "ds_moons": "moons — 2차원, 합성 데이터",
    "ds_circles": "circles — 2차원, 합성 데이터",
    "ds_xor": "xor — 2차원, 합성 데이터",
    "ds_fashion_mnist": "fashion_mnist — 28×28 의류 이미지, 실제 데이터 (70,000개)",
    "depth": "은닉층 수 (깊이)",
    "width": "층당 유닛 수 (너비)",
    "optimizer": "옵티마이저(optimizer)",
    "opt_sgd": "SGD",
    "opt_momentum": "모멘텀 (0.9)",
    "opt_adam": "Adam",
    "lr": "학습률(learning rate)",
    "batch_size": "미니배치 크기",
    "epochs": "에포크",
    "seed": "랜덤 시드",
    "seeds": "변형별 시드 수",
    "seeds_help": "시드가 둘 이상이면 평균과 범위(최소–최대)를 띠로 그립니다.",
    "url_notes": "이 링크의 일부 값은 적힌 그대로 쓰이지 않았습니다:",
    "url_clamped": "`{name}={raw}` 는 범위를 벗어나 **{used}** 을(를) 사용했습니다.",
    "url_ignored": "`{name}={raw}` 는 올바른 값이 아니어서 기본값 **{used}** 을(를) 사용했습니다.",
    "url_unavailable": "`{name}={raw}` 는 이 서버에 아직 내려받지 않았습니다 (`python -m core.fashion_mnist` 로 한 번 내려받습니다). 그래서 **{used}** 을(를) 사용했습니다.",
    "budget_over": (
        "이 실험에는 가중치 업데이트가 약 {work}번 필요하여, 이 서버에서 한 번의 요청에 "
        "허용되는 양({limit})을 넘습니다. 에포크, 깊이, 너비, 시드 수 또는 변형 수를 줄이세요."
    ),
    "budget_offer": "에포크 {epochs}로 실행 (허용되는 최대값)",
    "budget_none": "에포크 1도 한도를 넘습니다. 깊이, 너비 또는 시드 수를 줄이세요.",
    "progress": "**{variant}** 훈련 중 (시드 {seed}) — {n}개 중 {i}번째",
    "dismiss": "확인",
    "share_label": "이 실험을 그대로 재현하는 링크",
    # --- shared chart and read-out text --------------------------------------------------
    "chart_curves": "학습 곡선 (훈련: 점선, 검증: 실선)",
    "chart_grad_norm": "층별 가중치 그래디언트 ‖∂L/∂W‖ (로그 스케일)",
    "chart_grad_hist": "층별 log10|∂L/∂W| 분포",
    "chart_act_std": "층별 활성화 출력의 표준편차 (로그 스케일)",
    "chart_act_hist": "층별 활성화 값 분포",
    "ax_epoch": "에포크",
    "ax_layer": "층 (1 = 입력 쪽 하위층)",
    "ax_loss": "손실",
    "ax_accuracy": "정확도",
    "ax_grad_norm": "‖∂L/∂W‖",
    "ax_log_grad": "log10 |∂L/∂W|",
    "ax_act_std": "층 출력의 표준편차",
    "ax_activation": "활성화 값",
    "ax_share": "가중치 비율",
    "ax_variant": "변형",
    "ax_split": "세트",
    "split_train": "훈련",
    "split_val": "검증",
    "hist_zero_note": "가장 왼쪽 구간에는 정확히 0인 그래디언트(죽은 유닛, 항상 같은 입력 픽셀)도 들어 있습니다.",
    "epoch_select": "층별 차트에 보여줄 에포크 (0 = 초기화 직후)",
    "diverged": (
        "**{variant}** 은(는) 에포크 {epoch}에서 발산했습니다: 손실이나 그래디언트가 NaN 또는 "
        "무한대가 되어 훈련을 멈췄습니다. 그 전까지 기록한 내용을 그립니다."
    ),
    "diverged_marker": "발산",
    "notice": "눈여겨볼 점",
    "ro_saturated": "은닉 유닛 출력의 {share} 가 평평한 포화 구간에 있음",
    "ro_act_growth": "출력의 표준편차가 1층 {first} 에서 {top}층 {last} 로 바뀜",
    "ro_diverged": "에포크 {epoch}에서 발산",
    "section_page": "이 페이지의 실험",
    "all_variants_removed": "변형을 하나 이상 고르세요.",
    # --- overview ------------------------------------------------------------------------
    "ov_title": "그래디언트 소실과 폭주",
    "ov_intro": (
        "역전파(backpropagation)는 출력층의 오차 신호를 하위층(아래쪽 층)으로 보내면서 각 층의 "
        "가중치와 활성화 함수의 도함수를 차례로 곱합니다. 이 값들이 대부분 1보다 작으면 "
        "그래디언트가 층을 지날수록 작아집니다. 이것이 **그래디언트 소실(vanishing gradient)** "
        "문제로, 하위층의 가중치가 거의 바뀌지 않아 좋은 솔루션으로 수렴하지 못합니다. "
        "반대로 1보다 크면 그래디언트가 점점 커져 업데이트가 너무 커지고 훈련이 발산합니다. "
        "이것이 **그래디언트 폭주(exploding gradient)** 문제입니다. 둘 다 층마다 학습 속도가 크게 "
        "달라지는 **불안정한 그래디언트(unstable gradients)** 문제입니다."
    ),
    "ov_sigmoid_title": "로지스틱(시그모이드) 함수가 하위층을 굶기는 이유",
    "ov_sigmoid_text": "|z|가 크면 로지스틱 함수는 0이나 1에서 포화되어 도함수가 0에 가까워지므로, 이 함수를 거쳐 역전파되는 그래디언트는 거의 없습니다. 가장 가파른 z = 0에서도 도함수는 σ'(0) = 1/4뿐이라, 시그모이드 층 하나를 지날 때마다 역전파되는 그래디언트에는 가중치의 효과에 더해 많아야 1/4이 곱해집니다. 신호의 분산을 유지하도록 정한 가중치(글로럿)에서는 층마다 약 1/4씩 줄어 10개 층이면 약 10⁻⁶이 됩니다. 예전의 N(0, 1)처럼 훨씬 큰 가중치는 대부분의 입력 z를 0에서 멀리, 평평한 구간으로 밀어냅니다. 그러면 대부분의 유닛이 그 대신 **포화**됩니다.",
    "ov_sigmoid_chart": "[−5, 5] 구간의 σ(z)와 σ'(z); 음영은 σ'(z)가 최댓값의 10 % 미만인 포화 구간",
    "ov_tangent": "0에서 기울기 1/4",
    "ov_saturating": "포화 구간",
    "ov_function": "σ(z)",
    "ov_derivative": "σ'(z)",
    "ov_demo_title": "훈련 전, 초기화 직후의 깊은 신경망",
    "ov_demo_text": "같은 데이터에서 같은 {depth}층 신경망(층마다 유닛 {width}개)을 다섯 가지로 초기화하고, 훈련 전에 하나의 프로브 배치로 측정했습니다. 왼쪽 위: ‖∂L/∂z‖, 각 층의 활성화 함수 입력(z)까지 역전파된 그래디언트로, 소실되거나 폭주하는 바로 그 신호입니다. 오른쪽 위: 가중치의 그래디언트 ‖∂L/∂W‖. 아래: 각 층 출력의 표준편차와 활성화 함수 기울기 |f′(z)|의 평균.",
    "ov_v_sigmoid_normal": "시그모이드 + N(0, 1)",
    "ov_v_sigmoid_glorot": "시그모이드 + 글로럿",
    "ov_v_relu_he": "ReLU + He",
    "ov_v_relu_normal": "ReLU + N(0, 1)",
    "ov_links_title": "해결 방법",
    "ov_link_init": "글로럿, He, 르쿤 초기화는 신호의 분산을 유지합니다.",
    "ov_link_activations": "수렴하지 않는 활성화 함수: ReLU, LeakyReLU, ELU, SELU.",
    "ov_link_batchnorm": "배치 정규화는 각 층의 입력을 다시 원점에 맞추고 스케일을 조정합니다.",
    "ov_link_clipping": "그래디언트 클리핑은 폭주하는 그래디언트를 임곗값으로 제한합니다.",
    # --- initialization page -------------------------------------------------------------
    "in_title": "초기화: 글로럿, He, 르쿤 초기화와 단순한 가중치 비교",
    "in_intro": (
        "글로럿과 벤지오는 신호가 양방향으로 잘 흐르려면 각 층의 출력 분산이 입력 분산과 같아야 "
        "하고, 역방향에서 그래디언트의 분산도 유지되어야 한다고 주장했습니다. 두 조건은 층의 "
        "입력과 출력 연결 수가 같을 때만 동시에 성립하므로, **팬인(fan-in)** 과 **팬아웃(fan-out)** "
        "으로 정해지는 분산으로 가중치를 뽑는 것이 절충안입니다. He 초기화는 신호의 절반을 자르는 "
        "ReLU를 위해 같은 일을 하고, 르쿤 초기화는 SELU에 필요한 초기화입니다."
    ),
    "in_fan_avg": (
        "/2에 주의하세요: **팬 평균 fan_avg = (fan_in + fan_out) / 2** 이며 합이 아닙니다. 케라스의 "
        "기본 `kernel_initializer` 는 **글로럿 균등 분포(glorot_uniform)** 입니다. `*_normal` 초기화는 "
        "±2σ에서 자른 정규 분포에서 뽑은 뒤 분산이 정확히 σ²가 되도록 스케일을 조정합니다 "
        "(파이토치의 `kaiming_normal_` 은 자르지 않습니다)."
    ),
    "in_table_title": "이 신경망의 층 크기로 계산한 표",
    "in_col_strategy": "초기화 전략",
    "in_col_acts": "활성화 함수",
    "in_col_var": "σ² (정규 분포)",
    "in_col_r": "r (균등 분포: U(−r, r))",
    "in_col_hidden": "은닉층({n}→{n})의 σ² / r",
    "in_col_first": "1층({i}→{n})의 σ² / r",
    "in_s_glorot": "글로럿 (세이비어)",
    "in_s_he": "He",
    "in_s_lecun": "르쿤",
    "in_acts_glorot": "활성화 함수 없음, tanh, 로지스틱, 소프트맥스",
    "in_acts_he": "ReLU 및 그 변종",
    "in_acts_lecun": "SELU",
    "in_controls": "비교할 항목",
    "in_activation": "은닉층 활성화 함수 (모든 변형에 동일)",
    "in_inits": "초기화 방법",
    "in_init_std": "N(0, σ²)와 단순 균등 분포 가중치의 σ",
    "in_normal": "정규 분포 변형",
    "in_truncated": "±2σ에서 자름 (케라스)",
    "in_untruncated": "자르지 않음 (파이토치)",
    "in_preset_he": "프리셋: He 외 (2015) — 30층 ReLU 신경망, 글로럿 vs He",
    "in_signal_title": "초기화 직후 신호 전파: 측정값과 이론값",
    "in_signal_text": (
        "점: 검사용 배치에서 잰 각 은닉층 출력의 표준편차. 점선: ReLU 계열에 대한 이론값 — 각 층은 "
        "신호의 2차 모멘트에 fan_in·σ²·(1 + α²)/2 를 곱하므로, He 초기화는 이를 유지하고, 글로럿은 "
        "정사각 층에서 절반으로 줄이며, N(0, 1)은 fan_in/2 배로 키웁니다."
    ),
    "in_no_theory": "{activation} 에는 닫힌 형태의 예측식이 없어 측정값만 그립니다.",
    "in_weights_title": "초기화 방법별로 뽑은 가중치 ({n}×{n} 은닉층 하나)",
    "in_weights_text": "점선: 케라스 정규 분포 변형의 ±2σ 절단 경계.",
    "ax_weight": "가중치 값",
    "ax_count": "개수",
    # --- activations page ----------------------------------------------------------------
    "ac_title": "활성화 함수: 수렴하는 함수와 수렴하지 않는 함수",
    "ac_intro": "역전파는 층을 지날 때마다 그래디언트에 각 활성화 함수의 도함수 f′(z)를 곱합니다. 로지스틱 함수의 도함수는 최대 1/4이라, 모든 유닛이 z = 0에 있는 신경망에서도 그래디언트는 층마다 4분의 1로 줄어듭니다. tanh와 ReLU의 도함수는 최대 1입니다. 로지스틱과 tanh는 또 **포화**됩니다: |z|가 크면 도함수가 거의 0입니다. 책은 ReLU 계열을 **수렴하지 않는**(여기서는 '포화되지 않는'이라는 뜻) 활성화 함수라고 부릅니다. ReLU는 양수 입력에서 포화되지 않지만, 가중 입력이 모든 샘플에서 음수인 유닛은 0을 출력하고 그래디언트를 전혀 받지 못합니다: **죽은 ReLU**. LeakyReLU는 z < 0에서 작은 기울기 α를 유지합니다. ELU와 SELU는 설계상 음수 쪽에서 포화됩니다(−α에서 평평해져 0보다 훨씬 작은 유닛은 그래디언트를 조금만 전달함). 0보다 크면 선형입니다. SELU는 ELU의 스케일을 조정해 밀집 층만 쌓은 신경망이 **자기 정규화**되게 합니다.",
    "ac_gallery": "각 활성화 함수(실선)와 도함수(점선), 함수마다 자체 y축; 음영은 |f′(z)|가 최댓값의 10 % 미만인 구간",
    "ac_controls": "비교할 항목",
    "ac_acts": "활성화 함수",
    "ac_init": "초기화",
    "ac_matching": "활성화 함수에 맞춤 (글로럿 / He / 르쿤)",
    "ac_leaky_alpha": "LeakyReLU의 α",
    "ac_elu_alpha": "ELU의 α",
    "ac_preset_dying": "프리셋: 큰 Adam 학습률(0.03)로 ReLU 죽이기",
    "ac_saturation_title": "에포크에 따른 층별 포화 비율 (포화되는 활성화 함수)",
    "ac_dead_title": "검사용 배치에서 한 번도 활성화되지 않은 유닛 비율 (ReLU 계열)",
    "ac_dead_text": (
        "한 번도 활성화되지 않는 ReLU 유닛은 그래디언트를 받지 못해 계속 죽어 있습니다. 같은 "
        "상태의 LeakyReLU나 ELU 유닛은 음수 쪽 기울기로 그래디언트를 받아 다시 살아날 수 있습니다."
    ),
    "ac_none_saturating": "고른 활성화 함수 중 포화되는 함수가 없습니다.",
    "ac_none_dying": "고른 활성화 함수 중 ReLU 계열이 없습니다.",
    "ac_selu_toggle": "100층 자기 정규화 확인 실행",
    "bn_fold_toggle": "배치 정규화의 비용을 재고 합치기",
    "ac_selu_title": "SELU의 자기 정규화: 초기화 직후의 100층 신경망",
    "ac_selu_text": (
        "입력을 표준화하고, 르쿤 정규 분포 초기화를 쓰고, 밀집층만 차례로 쌓으면 SELU는 모든 층의 "
        "출력을 평균 0, 표준편차 1 근처로 유지합니다 — 여기서는 유닛 {width}개짜리 층 100개에 "
        "걸쳐서입니다. ReLU + He는 조금씩 벗어나고 tanh + 글로럿은 줄어듭니다. 입력이 표준화되지 "
        "않았거나, 다른 초기화, 스킵 연결, 일반 드롭아웃을 쓰면 자기 정규화가 깨집니다 "
        "(드롭아웃 대신 알파 드롭아웃을 쓰세요)."
    ),
    "ac_selu_mean": "층별 출력의 평균",
    "ac_selu_std": "층별 출력의 표준편차",
    "ax_act_mean": "층 출력의 평균",
    "ro_dead": "에포크 {epoch} 후 프로브 배치에서 한 번도 활성화되지 않은 은닉 유닛 비율 {share}",
    "ro_saturated_end": "에포크 {epoch} 후 포화된 은닉 출력 비율 {share}",
    # --- batch normalization page --------------------------------------------------------
    "bn_title": "배치 정규화: 활성화 함수 전 또는 후, 훈련과 추론",
    "bn_intro": (
        "좋은 초기화와 수렴하지 않는 활성화 함수는 훈련 초기의 불안정한 그래디언트 문제를 "
        "줄여주지만, 훈련 중에도 다시 생기지 않는다고 보장하지는 못합니다. **배치 정규화(batch "
        "normalization)** 는 각 은닉층의 활성화 함수 바로 전이나 후에 연산을 하나 추가합니다: "
        "현재 미니배치에서 각 입력을 원점에 맞추고 정규화한 다음, 학습되는 두 파라미터 벡터로 "
        "스케일을 조정하고 이동시킵니다. 신경망이 초기화에 훨씬 덜 민감해지고 더 큰 학습률로 "
        "훈련할 수 있습니다."
    ),
    "bn_steps": "m_B개 샘플로 이루어진 미니배치 B에 대한 네 단계",
    "bn_symbols": (
        "μ_B 와 σ²_B: 미니배치에서 계산한 각 입력의 평균과 (편향된) 분산; x̂⁽ⁱ⁾: 원점에 맞추고 "
        "정규화한 입력; ε: 0으로 나누는 것을 막는 안전을 위한 항 (케라스 10⁻³); γ 와 β: 학습되는 "
        "스케일과 이동(오프셋) 파라미터 벡터; ⊗: 원소별 곱셈; z⁽ⁱ⁾: 출력."
    ),
    "bn_inference": (
        "추론 때는 샘플이 하나뿐일 수 있으므로, 미니배치 통계 대신 훈련하는 동안 계산한 이동 "
        "평균을 씁니다. 케라스: 모멘텀 0.99, ε = 10⁻³; 파이토치: 모멘텀 0.1 (새 값의 가중치), "
        "ε = 10⁻⁵, 이동 평균에는 불편 분산을 씁니다."
    ),
    "bn_controls": "비교할 항목",
    "bn_variants": "배치 정규화 위치",
    "bn_v_none": "배치 정규화 없음",
    "bn_v_before": "활성화 함수 전 배치 정규화",
    "bn_v_after": "활성화 함수 후 배치 정규화",
    "bn_activation": "은닉층 활성화 함수",
    "bn_init": "초기화 (나쁜 초기화일수록 효과가 잘 보입니다)",
    "bn_convention": "이동 평균 방식",
    "bn_keras": "케라스 (모멘텀 0.99, ε 10⁻³)",
    "bn_torch": "파이토치 (모멘텀 0.1, ε 10⁻⁵)",
    "bn_gap_title": "훈련과 추론: 배치 통계와 이동 평균을 쓸 때의 검증 정확도",
    "bn_gap_text": (
        "실선: 이동 평균으로 정규화하는 추론 모드 (배포된 모델이 하는 방식). 점선: 같은 신경망이 "
        "검증 세트를 자신의 배치 통계로 정규화할 때. 훈련 초기에는 이동 평균이 아직 따라오지 "
        "못해 그 차이만큼 손해를 봅니다."
    ),
    "bn_moving": "이동 평균",
    "bn_batch": "배치 통계",
    "bn_trace_title": "이동 평균이 모집단 통계에 얼마나 빨리 다가가는가",
    "bn_trace_text": (
        "표준화하지 않은 숫자 이미지(픽셀 값 0–16) 32개짜리 미니배치를 배치 정규화 층에 차례로 "
        "넣으면서, 이동 평균과 이동 분산의 평균 상대 오차를 단계마다 그렸습니다. 모멘텀 0.99는 "
        "수백 단계가 필요합니다."
    ),
    "bn_trace_mean": "이동 평균의 상대 오차",
    "bn_trace_var": "이동 분산의 상대 오차",
    "ax_step": "훈련 단계",
    "bn_grid_toggle": "초기화 격자 실행: 초기화 방법 × (배치 정규화 없음, 있음)",
    "bn_grid_title": "초기화에 덜 민감함: 마지막 검증 정확도",
    "bn_sweep_toggle": "배치 정규화 유무에 따른 학습률 스윕 실행",
    "bn_sweep_title": "더 큰 학습률: 학습률에 따른 마지막 훈련 손실",
    "bn_cost_title": "배치 정규화의 비용과, 추론을 위해 합치기",
    "bn_cost_text": (
        "배치 정규화는 훈련 단계마다 계산을 더합니다. 훈련이 끝나면 추론 모드의 배치 정규화 층은 "
        "아핀 변환이므로 이웃한 Dense 층에 합칠 수 있습니다: 신경망이 작고 빨라지며 출력은 "
        "float32 반올림 오차 수준에서 같습니다."
    ),
    "bn_col_variant": "변형",
    "bn_col_step_time": "훈련 단계당 시간",
    "bn_fold_note": (
        "합치기는 실수 연산(그리고 float64)에서 정확합니다. 배치 정규화가 활성화 함수 **후**에 있으면 "
        "다음 Dense 층에 합쳐지는데, 새 편향이 결과보다 최대 {scale}배 큰 항들을 상쇄해야 합니다. "
        "float32는 약 7자리만 유지하므로 여기서 일부 자릿수를 잃습니다. 활성화 함수 전 배치 "
        "정규화는 이런 상쇄 없이 자기 층에 합쳐집니다."
    ),
    "bn_col_max_diff": "합친 뒤 가장 큰 출력 차이 (상대값)",
    "bn_col_params": "파라미터 수 (전 → 후)",
    "bn_col_speed": "추론 시간 (전 → 후)",
    "ro_bn_gap": "배치 통계를 쓰면 검증 정확도가 {moving} 대신 {batch} 가 됨",
    # --- gradient clipping page ----------------------------------------------------------
    "cl_title": "그래디언트 클리핑: 값, 노름, 전역 노름 기준",
    "cl_intro": (
        "그래디언트 폭주를 막으려면 역전파 중에 그래디언트가 임곗값을 넘지 않도록 잘라냅니다. "
        "배치 정규화를 쓰기 까다로운 순환 신경망에서 주로 쓰지만, 그래디언트가 가끔 폭주하는 어떤 "
        "신경망에도 도움이 됩니다. **값 기준** 클리핑은 각 원소를 따로 잘라서 그래디언트 벡터의 "
        "방향을 바꿀 수 있고, **노름 기준** 클리핑은 벡터 전체의 스케일을 조정하여 방향을 "
        "유지합니다. 케라스의 `clipnorm` 은 가중치 텐서마다 따로 이렇게 하고, `global_clipnorm` "
        "(파이토치의 `clip_grad_norm_` 과 같음)은 모든 텐서에 대해 노름 하나를 씁니다."
    ),
    "cl_code_title": "코드로 쓰면",
    "cl_geometry_title": "기하학: 2차원 그래디언트 하나를 세 가지로 클리핑",
    "cl_geometry_text": (
        "정사각형은 값 기준 클리핑이 각 원소를 넣는 영역(|gᵢ| ≤ 임곗값)이고, 원은 노름 한계입니다. "
        "값 기준 클리핑은 벡터를 정사각형 안으로 옮기면서 방향을 바꿀 수 있고, 노름 기준 클리핑은 "
        "같은 방향으로 길이만 줄입니다."
    ),
    "cl_gx": "g₁",
    "cl_gy": "g₂",
    "cl_raw_direction": "원래 그래디언트의 방향",
    "cl_by_value": "값 기준 클리핑",
    "cl_by_norm": "노름 기준 클리핑",
    "cl_angle": "값 기준 클리핑이 벡터를 **{angle:.1f}°** 돌렸습니다: {raw} → {clipped}. 노름 기준 클리핑은 방향을 유지합니다: {normed}.",
    "cl_controls": "비교할 항목",
    "cl_variants": "클리핑",
    "cl_v_none": "클리핑 없음",
    "cl_v_value": "값 기준 (clipvalue)",
    "cl_v_norm": "텐서별 노름 기준 (clipnorm)",
    "cl_v_global_norm": "전역 노름 기준 (global_clipnorm)",
    "cl_threshold": "임곗값",
    "cl_scenario": "신경망 (나쁜 초기화로 그래디언트가 폭주합니다)",
    "cl_activation": "은닉층 활성화 함수",
    "cl_init": "초기화",
    "cl_init_std": "N(0, σ²)의 σ",
    "cl_training_title": "훈련하는 동안",
    "cl_norm_chart": "클리핑 전 전역 그래디언트 노름, 단계마다 (로그 스케일)",
    "cl_share_chart": "에포크별 클리핑된 단계의 비율",
    "cl_cosine_chart": "에포크별 원래 그래디언트와 클리핑된 그래디언트의 코사인",
    "ax_share_clipped": "클리핑 비율",
    "ax_cosine": "코사인",
    "ro_clip": "단계의 {share} 에서 클리핑됨, 원래 그래디언트와의 코사인 평균 {cosine}",
    "ro_value_diverged": "여기서는 값 기준 클리핑이 발산을 막지 못했습니다: 원소마다 잘라도 가중치 수가 많으면 업데이트 전체는 여전히 커질 수 있습니다.",
    "ro_value_slower": "값 기준 클리핑은 검증 정확도 {acc} 로 끝났고 {best_name} 은(는) {best} 입니다: 방향이 바뀐 업데이트가 여기서는 더 느리게 학습합니다.",
    "ro_global_slower": "전역 노름 기준 클리핑은 방향을 유지하지만, 그래디언트가 이렇게 크면 모든 업데이트가 임곗값까지 줄어듭니다: {best_name} 의 {best} 에 비해 {acc} 로 끝났습니다.",
    # --- lessons -------------------------------------------------------------------------
    "lessons_title": "워크숍 수업",
    "lessons_text": "링크마다 페이지를 한 가지 상황으로 맞추고 눈여겨볼 점을 알려줍니다. 링크에 `&hide=depth,width,lr` 를 붙이면 그 조작 항목을 학생들에게 숨깁니다.",
    "lesson_banner": "수업: {title}",
    "ls_vanishing": "시그모이드 그래디언트 소실",
    "ls_vanishing_notice": "에포크 0에서 1층과 최상위층의 역전파 그래디언트 ‖∂L/∂z‖를 비교하세요. 시그모이드와 글로럿 가중치에서는 약 백만 배 작고, 같은 가중치의 tanh에서는 거의 줄지 않으며, ReLU에서는 조금 줄어듭니다. 측정한 비율은 아래 요약에 나옵니다.",
    "ls_exploding": "가중치 폭주",
    "ls_exploding_notice": "N(0, 1) 가중치에서는 ReLU 층마다 신호의 표준편차가 약 √(너비/2)배가 됩니다. 층별 차트는 에포크 0에서 열리며, 여기서 활성화 값이 몇 자릿수씩 커지고 역전파 그래디언트가 1층 쪽으로 폭주합니다. 훈련이 어떻게 되는지 보세요. He 초기화는 퍼짐을 유지합니다.",
    "ls_he2015": "He 외 (2015): 30층 ReLU 신경망",
    "ls_he2015_notice": "글로럿 초기화에서는 ReLU 층마다 신호의 분산이 절반이 되어 30개 층을 지나면 표준편차가 약 2^14.5 ≈ 2×10⁴분의 1로 줄어듭니다. He 초기화는 이를 유지합니다. 페이지에 최상위층에서 측정한 퍼짐이 나옵니다. 두 초기화가 어떻게 훈련되는지 비교하세요.",
    "ls_selu100": "100층에 걸친 SELU",
    "ls_selu100_notice": "100층 확인까지 내려가 보세요: SELU와 르쿤 정규 분포 초기화에서는 모든 층의 평균이 0 근처, 표준편차가 1 근처에 머뭅니다.",
    "ls_bn_rescue": "배치 정규화가 나쁜 초기화를 구함",
    "ls_bn_rescue_notice": "N(0, 1) 가중치의 같은 tanh 신경망: 배치 정규화가 없으면 거의 학습하지 못하고, 활성화 함수 전에 배치 정규화를 넣으면 훈련됩니다. 배치 통계와 이동 평균의 차이도 보세요.",
    "ls_bn_placement": "활성화 함수 전 또는 후의 배치 정규화",
    "ls_bn_placement_notice": "두 위치 모두 훈련됩니다. 학습 곡선을 비교한 뒤, 페이지 아래에서 배치 정규화를 합치고 float32에서 위치마다 남는 출력 차이를 보세요.",
    "ls_clipping": "폭주하는 훈련 클리핑하기",
    "ls_clipping_notice": "클리핑하지 않으면 첫 에포크에서 발산합니다. 모든 클리핑 방법이 유한하게 유지합니다. 어느 방법이 가장 빨리 학습하는지, 값 기준 클리핑이 업데이트를 얼마나 돌리는지(코사인) 보세요.",
    # --- lab ------------------------------------------------------------------------------
    "lab_title": "실험실: 모든 기법 조합하기",
    "lab_intro": "변형 2~4개를 나란히 두고, 각각 활성화 함수, 초기화, 배치 정규화, 옵티마이저, 학습률, 클리핑을 따로 정합니다. 공통 설정(데이터셋, 크기, 에포크, 배치 크기, 시드)은 모두에 적용되며, 다른 페이지처럼 짝지어 실행합니다.",
    "lab_variants": "변형 개수",
    "lab_variant": "변형 {i}",
    "lab_activation": "활성화 함수",
    "lab_init": "초기화",
    "lab_batchnorm": "배치 정규화",
    "lab_optimizer": "옵티마이저",
    "lab_lr": "학습률",
    "lab_clip": "클리핑",
    "lab_clip_threshold": "클리핑 임곗값",
    "lab_boundary_title": "훈련 후 결정 경계 (첫 번째 시드)",
    "lab_boundary_text": "색: 예측한 클래스, 신경망이 덜 확신할수록 옅습니다. 점: 검증 세트 샘플.",
    "lab_boundary_none": "결정 경계는 2차원 데이터셋(spirals, moons, circles, xor)에서 그립니다.",
    "lab_boundary_diverged": "{variant} 은(는) 발산하여 그릴 경계가 없습니다.",
    "lab_downloads": "내려받기",
    "lab_csv": "기록 (CSV, 관측마다 한 행)",
    "lab_json": "설정 (JSON)",
    "lab_load": "이 실험실에서 저장한 설정(JSON) 불러오기",
    "lab_loaded": "설정을 불러왔습니다.",
    "lab_load_error": "이 실험실에서 저장한 설정 파일이 아닙니다: {error}",
    "ax_x1": "x₁ (표준화)",
    "ax_x2": "x₂ (표준화)",
    "ax_class": "클래스",
    "ov_v_tanh_glorot": "tanh + 글로럿",
    "chart_backprop_norm": "층별 역전파 그래디언트 ‖∂L/∂z‖ (로그 스케일)",
    "chart_update_ratio": "에포크 마지막 스텝의 상대 업데이트 크기 ‖ΔW‖/‖W‖ (로그 스케일)",
    "chart_slope_mean": "층별 활성화 함수 기울기 |f′(z)|의 평균 (로그 스케일)",
    "ax_backprop_norm": "‖∂L/∂z‖",
    "ax_update_ratio": "‖ΔW‖ / ‖W‖",
    "ax_slope_mean": "|f′(z)|의 평균",
    "layer_output": "출력층(로짓)",
    "why_two_gradients": "그래디언트가 두 가지인 이유: ‖∂L/∂z‖는 역전파가 아래로 전달하는 신호이고, 소실되거나 폭주하는 것은 바로 이 값입니다. 가중치의 그래디언트는 이 신호에 층의 입력을 곱한 것이라 Var[∂L/∂W] ≈ Var[x] · Var[∂L/∂z]입니다(글로럿과 벤지오 2010). 그래서 정방향 신호가 커지는 만큼 역방향 신호가 줄어들면 ‖∂L/∂W‖는 층에 걸쳐 평평하게 보일 수 있습니다. ‖ΔW‖/‖W‖는 각 층이 실제로 얼마나 빨리 학습하는지 보여 줍니다(스텝마다 10⁻³ 정도면 건강한 편). 각 선의 속이 빈 사각형은 출력층입니다.",
    "ro_bp_vanishing": "초기화 직후 **소실**: 1층이 받는 역전파 그래디언트는 {top}층의 {ratio}배 (가중치 그래디언트: {w}배)",
    "ro_bp_exploding": "초기화 직후 **폭주**: 1층이 받는 역전파 그래디언트는 {top}층의 {ratio}배 (가중치 그래디언트: {w}배)",
    "ro_bp_steady": "초기화 직후 거의 일정: 1층이 받는 역전파 그래디언트는 {top}층의 {ratio}배 (가중치 그래디언트: {w}배)",
    "ro_bp_unknown": "역전파 그래디언트를 측정할 수 없음(유한하지 않음)",
    "ro_accuracy_learning": "{epochs}에포크 후 검증 정확도 {acc}, 아직 오르는 중 (시작: {chance})",
    "ro_accuracy_plateau": "{epochs}에포크 후 검증 정확도 {acc}, 더 오르지 않음 (시작: {chance})",
    "ro_accuracy_stalled": "{epochs}에포크 후 검증 정확도 {acc}: 학습하지 못함 (시작: {chance})",
    "label_verdict": "{label} — {verdict}",
    "trend_vanishing": "소실",
    "trend_exploding": "폭주",
    "trend_steady": "일정",
    "trend_unknown": "유한하지 않음",
    "diverged_seed": "{variant} (시드 {seed})",
    "act_hist_overflow_note": "±5를 넘는 값은 ±5 바로 바깥에 옅게 그린 가장 바깥 두 막대에 셉니다(그 값이 ±5인 것처럼 ±5에 쌓지 않습니다).",
    "claim_derivative_max": "**도함수의 최댓값만 다릅니다.** {sigmoid}와 {tanh}는 같은 가중치에서 시작하지만 σ′ ≤ 1/4이고 tanh′ ≤ 1입니다. 1층에 도달하는 역전파 그래디언트는 {top}층 대비 시그모이드에서 {sigmoid_bp}배, tanh에서 {tanh_bp}배입니다.",
    "claim_derivative_max_measured": "측정값: 1층이 받는 역전파 그래디언트는 {top}층 대비 {sigmoid}에서 {sigmoid_bp}배, {tanh}에서 {tanh_bp}배입니다.",
    "claim_saturation": "**큰 가중치는 그 대신 포화를 일으킵니다.** {sigmoid}에서는 역전파 그래디언트가 여기서 소실되지 않지만({top}층 대비 1층 {sigmoid_bp}배), 은닉 유닛 중 {sigmoid_sat}만큼이 σ의 평평한 구간에 있어 그래디언트를 거의 전달하지 못하고 거의 학습하지 않습니다.",
    "claim_saturation_measured": "{sigmoid} 측정값: 포화된 은닉 유닛 비율 {sigmoid_sat}, 1층이 받는 역전파 그래디언트는 {top}층의 {sigmoid_bp}배.",
    "claim_flat_weight_gradient": "**가중치 그래디언트는 폭주를 가립니다.** {relu}에서 1층의 역전파 그래디언트는 {top}층의 {relu_bp}배인데, ‖∂L/∂W‖는 {relu_w}배만 달라집니다. 정방향 신호가 1층 쪽으로 갈수록 역방향 신호가 커지는 만큼 작아지기 때문입니다.",
    "claim_flat_weight_gradient_measured": "{relu} 측정값: 1층은 {top}층 대비 역전파 그래디언트 {relu_bp}배, 가중치 그래디언트 {relu_w}배를 받습니다.",
    "claim_glorot_shrinks": "**글로럿 초기화는 ReLU 층마다 분산을 절반으로 줄입니다.** {glorot}에서 출력의 표준편차는 1층 {glorot_first}에서 {top}층 {glorot_top}까지 줄고, {he}는 이를 유지합니다({he_first} → {he_top}).",
    "claim_glorot_shrinks_measured": "측정값: 출력의 표준편차는 {glorot}에서 {glorot_first} → {glorot_top}({top}층), {he}에서 {he_first} → {he_top}입니다.",
    "claim_signal_explodes": "**N(0, 1) 가중치는 신호를 폭주시킵니다.** {normal}에서 출력의 표준편차는 1층 {normal_first}에서 {top}층 {normal_top}까지 커지고, {he}는 이를 유지합니다({he_first} → {he_top}).",
    "claim_signal_explodes_measured": "측정값: 출력의 표준편차는 {normal}에서 {normal_first} → {normal_top}({top}층), {he}에서 {he_first} → {he_top}입니다.",
    "ro_slope": "초기화 직후 은닉 유닛의 |f′(z)| 평균 {slope}",
    "ac_gallery_panel": "{name} (f′의 최댓값: {max})",
    "ac_slope_title": "각 층이 아래로 전달하는 양: 초기화 직후 기울기 |f′(z)|의 평균",
    "ac_slope_text": "한 층의 유닛에 걸친 |f′(z)|의 평균은 그 층의 활성화 함수가 역전파 그래디언트에 평균적으로 곱하는 값입니다. 모든 층에서 1보다 작으면 그래디언트는 1층으로 가는 동안 기하급수적으로 줄어듭니다.",
    "ac_saturation_text": "포화: |f′(z)|가 그 함수의 가장 큰 기울기의 10 % 미만. ELU와 SELU에서는 일부러 평평하게 만든 음수 쪽이 여기에 해당합니다.",
    "ac_dead_probe": "64개 샘플의 프로브 배치로 측정합니다. 유닛이 우연히 64개 샘플 모두에서 비활성일 수 있어, 초기화 직후에도 몇 퍼센트는 한 번도 활성화되지 않은 것으로 나옵니다.",
}
