"""한국어 인터페이스 문구 (용어는 GLOSSARY: 그래디언트 소실, 그래디언트 폭주, ...)."""

TEXT = {
    # --- shell ---------------------------------------------------------------------------
    "app_title": "그래디언트 랩",
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
    "lang_label": "Language / 언어",
    "dataset": "데이터셋",
    "ds_digits": "digits — 8×8 손글씨 숫자, 실제 데이터 (1,797개)",
    "ds_spirals": "spirals — 2차원, 합성 데이터",
    "ds_moons": "moons — 2차원, 합성 데이터",
    "ds_circles": "circles — 2차원, 합성 데이터",
    "ds_xor": "xor — 2차원, 합성 데이터",
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
    "chart_grad_norm": "층별 그래디언트 노름 (로그 스케일)",
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
    "ro_gradient_ratio": "초기화 직후 1층이 받는 그래디언트 노름은 {top}층의 {ratio}",
    "ro_saturated": "은닉 유닛 출력의 {share} 가 평평한 포화 구간에 있음",
    "ro_act_growth": "출력의 표준편차가 1층 {first} 에서 {top}층 {last} 로 바뀜",
    "ro_accuracy": "{epochs} 에포크 후 검증 정확도 {acc}",
    "ro_diverged": "에포크 {epoch}에서 발산",
    "section_common": "훈련과 그래디언트 나란히 보기",
    "section_page": "이 페이지의 실험",
    "variants_label": "비교할 변형",
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
    "ov_sigmoid_text": (
        "로지스틱 함수는 |z|가 크면 0이나 1로 포화되어 도함수가 0에 가까워지므로, 역전파할 "
        "그래디언트가 거의 남지 않습니다. z = 0에서도 도함수는 σ'(0) = 1/4 뿐이라, 시그모이드 "
        "10개 층을 지나면 신호가 많아야 (1/4)^10 ≈ 10⁻⁶ 배가 됩니다. 예전 기본값처럼 가중치를 "
        "정규 분포 N(0, 1)에서 뽑으면 층을 지날수록 출력의 분산도 커져서 활성화 값이 평평한 "
        "구간으로 밀려납니다."
    ),
    "ov_sigmoid_chart": "[−5, 5] 구간의 σ(z)와 σ'(z); 음영은 σ'(z)가 최댓값의 10 % 미만인 포화 구간",
    "ov_tangent": "0에서 기울기 1/4",
    "ov_saturating": "포화 구간",
    "ov_function": "σ(z)",
    "ov_derivative": "σ'(z)",
    "ov_demo_title": "훈련 전, 초기화 직후의 깊은 신경망",
    "ov_demo_text": (
        "같은 데이터에서 같은 {depth}층 신경망(층마다 유닛 {width}개)을 네 가지로 만들었습니다. "
        "아래는 같은 검사용 배치에서 잰 층별 그래디언트 노름과 출력의 퍼짐입니다."
    ),
    "ov_v_sigmoid_normal": "시그모이드 + N(0, 1)",
    "ov_v_sigmoid_glorot": "시그모이드 + 글로럿",
    "ov_v_relu_he": "ReLU + He",
    "ov_v_relu_normal": "ReLU + N(0, 1) (폭주)",
    "ov_links_title": "해결 방법",
    "ov_link_init": "글로럿, He, 르쿤 초기화는 신호의 분산을 유지합니다.",
    "ov_link_activations": "수렴하지 않는 활성화 함수: ReLU, LeakyReLU, ELU, SELU.",
    "ov_link_batchnorm": "배치 정규화는 각 층의 입력을 다시 원점에 맞추고 스케일을 조정합니다.",
    "ov_link_clipping": "그래디언트 클리핑은 폭주하는 그래디언트를 임곗값으로 제한합니다.",
    "ov_link_lab": "모든 기법을 자유롭게 조합하고 링크로 공유하세요.",
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
    "in_theory": "이론",
    "in_measured": "측정",
    "in_weights_title": "초기화 방법별로 뽑은 가중치 ({n}×{n} 은닉층 하나)",
    "in_weights_text": "점선: 케라스 정규 분포 변형의 ±2σ 절단 경계.",
    "ax_weight": "가중치 값",
    "ax_count": "개수",
    # --- activations page ----------------------------------------------------------------
    "ac_title": "활성화 함수: 수렴하는 함수와 수렴하지 않는 함수",
    "ac_intro": (
        "로지스틱 함수와 tanh는 **포화(수렴)** 됩니다: |z|가 크면 도함수가 거의 0이라, 하위층에 "
        "도달하는 그래디언트에 작은 수가 여러 번 곱해집니다. ReLU는 양수 입력에서 포화되지 "
        "않지만, 모든 샘플에서 가중치 합이 음수인 유닛은 0만 출력하고 그래디언트를 전혀 받지 "
        "못합니다: **죽은 ReLU(dying ReLU)** 입니다. LeakyReLU는 z < 0에서 작은 기울기 α를 "
        "유지하고, ELU는 부드러운 음수 부분을 가지며, SELU는 ELU의 스케일을 조정하여 일반적인 "
        "밀집층을 쌓은 신경망이 **자기 정규화(self-normalizing)** 되도록 합니다."
    ),
    "ac_gallery": "각 활성화 함수(실선)와 도함수(점선); 음영은 f'(z)가 최댓값의 10 % 미만인 구간",
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
    "ro_dead": "마지막에 은닉 유닛의 {share} 가 한 번도 활성화되지 않음",
    "ro_saturated_end": "마지막에 은닉 출력의 {share} 가 포화됨",
}
