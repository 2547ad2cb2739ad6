"""What the demo recordings say: each lecture's and resource's script, in chapters of sentences.

`scripts/make_demo_recordings.py` speaks these (espeak-ng, Mandarin), draws one slide per chapter
and writes demo/media/recordings/: the video or audio, its WebVTT captions (one cue per sentence,
timed from the speech), its WebVTT chapters and a manifest with durations. The demo loaders give
each page its own recording, and its transcript is the same sentences, so captions, transcript and
speech agree. Edit a script here, then run the script again and commit what it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.data.resources import RESOURCES


@dataclass(frozen=True)
class Script:
    key: str  # file stem under demo/media/recordings/
    title: str
    kind: str  # "video" or "audio"
    chapters: tuple[tuple[str, tuple[str, ...]], ...]  # (chapter title, sentences)

    @property
    def sentences(self) -> list[str]:
        return [sentence for _, sentences in self.chapters for sentence in sentences]

    def transcript_html(self) -> str:
        """The transcript field: the spoken sentences, a heading per chapter."""
        parts = []
        for heading, sentences in self.chapters:
            if len(self.chapters) > 1:
                parts.append(f"<h3>{heading}</h3>")
            parts.append(f"<p>{''.join(sentences)}</p>")
        return "".join(parts)


def _lecture(key, title, kind, *chapters) -> Script:
    return Script(key=key, title=title, kind=kind, chapters=tuple(chapters))


# The ten past 郑州讲坛 lectures (demo/loaders/events.py LECTURES, by title).
LECTURE_SCRIPTS = {
    script.title: script
    for script in [
        _lecture(
            "lecture-yellow-river",
            "黄河文明与郑州的城市记忆",
            "audio",
            (
                "开场",
                (
                    "各位居民朋友，大家好，欢迎来到郑州讲坛。",
                    "今天我们聊一聊黄河文明与郑州的城市记忆。",
                ),
            ),
            (
                "商城遗址",
                (
                    "郑州商城遗址就在今天的老城区，三千六百多年前，这里是商代早期的都城。",
                    "城墙的夯土层至今还能看到，一层一层，像书页一样记录着历史。",
                ),
            ),
            (
                "留住城市记忆",
                (
                    "城市在长大，记忆要留住。",
                    "带孩子去遗址公园走一走，听老人讲讲过去的事，就是在传承黄河文化。",
                ),
            ),
        ),
        _lecture(
            "lecture-exercise",
            "老年人如何科学锻炼",
            "video",
            (
                "锻炼前",
                (
                    "各位朋友好，今天讲讲老年人怎样科学锻炼。",
                    "锻炼前先热身五到十分钟，活动一下手腕、脚踝和膝盖。",
                ),
            ),
            (
                "适合的运动",
                (
                    "快走、太极拳、八段锦和游泳，都是适合老年人的运动。",
                    "每周锻炼五次，每次半小时左右，以微微出汗、还能说话为宜。",
                ),
            ),
            (
                "注意事项",
                (
                    "空腹和饭后马上都不要剧烈运动。",
                    "如果出现胸闷、头晕，要立即停下来休息，必要时及时就医。",
                ),
            ),
        ),
        _lecture(
            "lecture-family-education",
            "读懂家庭教育促进法",
            "video",
            (
                "这部法律讲什么",
                (
                    "大家好，今天我们一起读懂家庭教育促进法。",
                    "这部法律告诉我们，父母是孩子的第一任老师，家庭教育是家长的责任。",
                ),
            ),
            (
                "家长可以怎么做",
                (
                    "多陪伴，少说教，每天留出和孩子聊天的时间。",
                    "遇到困难，可以到社区学校的家长课堂寻求帮助。",
                ),
            ),
        ),
        _lecture(
            "lecture-digital-learning",
            "数字时代的终身学习",
            "audio",
            (
                "学习无处不在",
                (
                    "各位好，今天的题目是数字时代的终身学习。",
                    "有了手机和网络，在家里、在公园，随时都能学习。",
                ),
            ),
            (
                "制定学习计划",
                (
                    "先想清楚自己想学什么，再给自己定一个小目标，比如每天学二十分钟。",
                    "在郑州终身学习网上，可以按类别找到视频、音频和讲义。",
                ),
            ),
            (
                "和大家一起学",
                ("一个人学容易放弃，和邻居一起报名社区课程，更容易坚持下来。",),
            ),
        ),
        _lecture(
            "lecture-tcm-seasons",
            "中医养生的四季智慧",
            "video",
            (
                "春夏",
                (
                    "大家好，今天讲中医养生的四季智慧。",
                    "春天早睡早起，多到户外走走；夏天天热，饮食清淡，注意补水。",
                ),
            ),
            (
                "秋冬",
                ("秋天干燥，可以多吃梨和百合；冬天注意保暖，适当进补但不要过量。",),
            ),
            (
                "常见误区",
                (
                    "养生不是吃补品，保健品也不能代替药物。",
                    "身体不舒服，还是要到正规医院看医生。",
                ),
            ),
        ),
        _lecture(
            "lecture-tang-poems",
            "唐诗里的中原风物",
            "video",
            (
                "诗人与中原",
                (
                    "各位朋友好，今天我们跟着唐诗游中原。",
                    "杜甫出生在巩义，白居易出生在新郑，中原是许多诗人的故乡。",
                ),
            ),
            (
                "诗里的山河",
                (
                    "诗句里有黄河的奔流，有嵩山的云雾，也有寻常人家的炊烟。",
                    "读诗的时候，不妨想一想，诗人当年看到的是怎样的景色。",
                ),
            ),
        ),
        _lecture(
            "lecture-anti-fraud",
            "防范养老诈骗，守护晚年生活",
            "video",
            (
                "常见套路",
                (
                    "大家好，今天讲讲怎样防范养老诈骗。",
                    "高额返利的养老投资、包治百病的保健品、免费旅游，都是常见的骗局。",
                ),
            ),
            (
                "三个不要",
                ("不要轻信陌生电话，不要把钱转到所谓的安全账户，不要告诉别人验证码。",),
            ),
            (
                "拿不准怎么办",
                (
                    "拿不准的时候，先和儿女商量，或者拨打反诈专线九六一一零咨询。",
                    "守好自己的钱袋子，就是守护晚年的好日子。",
                ),
            ),
        ),
        _lecture(
            "lecture-shaolin",
            "少林武术与传统体育",
            "video",
            (
                "少林功夫",
                (
                    "各位好，今天聊一聊少林武术与传统体育。",
                    "少林功夫发源于登封嵩山少林寺，已经有一千五百多年的历史。",
                ),
            ),
            (
                "从基本功练起",
                (
                    "练武先练基本功：马步要稳，弓步要直，动作慢一点也没关系。",
                    "年纪大的朋友，可以从简单的拳法和站桩开始，量力而行。",
                ),
            ),
        ),
        _lecture(
            "lecture-garbage-sorting",
            "垃圾分类背后的城市治理",
            "video",
            (
                "四类垃圾",
                (
                    "大家好，今天讲垃圾分类背后的城市治理。",
                    "厨余垃圾、可回收物、有害垃圾和其他垃圾，分开投放才能分开处理。",
                ),
            ),
            (
                "养成习惯",
                (
                    "一座城市的垃圾分类，靠的是每家每户的好习惯。",
                    "小区里的督导员、学校里的小课堂，都在帮助大家慢慢养成习惯。",
                ),
            ),
        ),
        _lecture(
            "lecture-family-finance",
            "家庭理财入门",
            "audio",
            (
                "先存后花",
                (
                    "各位朋友好，今天讲家庭理财入门。",
                    "理财的第一步是记账，知道钱花在哪里，再留出一笔应急的钱。",
                ),
            ),
            (
                "认识风险",
                (
                    "储蓄稳妥，保险防范意外，基金有涨有跌。",
                    "承诺高收益、保本保息的产品，往往藏着陷阱，一定要当心。",
                ),
            ),
        ),
    ]
}

# How each resource recording opens and closes around the resource's own text.
RESOURCE_OPENING = "这里是郑州终身学习网。本期内容：{title}。"
RESOURCE_CLOSING = "更多内容，请看本页下方的文字稿和资料，也欢迎到家附近的社区学校一起学习。"


def _sentences(text: str) -> tuple[str, ...]:
    sentences, current = [], ""
    for character in text:
        current += character
        if character in "。！？；":
            sentences.append(current)
            current = ""
    if current.strip():
        sentences.append(current)
    return tuple(sentences)


RESOURCE_SCRIPTS = {
    slug: Script(
        key=f"resource-{slug}",
        title=title,
        kind=kind,
        chapters=(
            (
                title,
                (
                    RESOURCE_OPENING.format(title=title),
                    *_sentences(text),
                    RESOURCE_CLOSING,
                ),
            ),
        ),
    )
    for slug, title, kind, _category, _audiences, _tags, _summary, text in RESOURCES
    if kind in ("video", "audio")
}

# The showcase's 学习之星 honours show one short film about the network.
NETWORK_FILM = Script(
    key="network-film",
    title="人人皆学、处处能学、时时可学",
    kind="video",
    chapters=(
        (
            "郑州的社区教育网络",
            (
                "郑州的社区教育，覆盖市、区、街道和社区四级。",
                "社区大学、社区学院、社区学校和学习点，就在居民的家门口。",
            ),
        ),
        (
            "一起来学习",
            (
                "太极拳、智能手机、书法、家庭急救，课程大多免费。",
                "欢迎您走进身边的社区学校，一起学习，一起进步。",
            ),
        ),
    ),
)

ALL_SCRIPTS = [*LECTURE_SCRIPTS.values(), *RESOURCE_SCRIPTS.values(), NETWORK_FILM]
