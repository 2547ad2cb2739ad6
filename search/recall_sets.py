"""Query sets for ``search_recall``, written for this site in residents' own words.

- ``NEEDS``: everyday needs as a resident would type them, each with the titles of the demo pages
  that answer it (any page of that title fits; titles are looked up when the command runs, and
  tests/search/test_search_recall.py checks that every one exists in the demo).
- ``TRADITIONAL``: queries typed in traditional characters, with their simplified form; the
  relevant pages are those whose text contains the simplified form.
- ``PINYIN_SLIPS``: pinyin with one slip (a letter dropped, added or changed, n for ng, z for zh),
  with the word meant; the relevant pages are those whose title contains that word.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    query: str
    titles: tuple[str, ...]


def need(query: str, *titles: str) -> Need:
    return Need(query, titles)


SMARTPHONE = ("智能手机入门", "智能手机使用：从开机到视频通话", "智能手机互助课堂")
SMARTPHONE_EVENTS = (
    "市民学堂：智能手机学用课堂",
    "二七区智能手机学用课堂",
    "中牟县智能手机学用课堂",
)
TAIJI = ("太极拳初级班", "每周太极拳晨练", "太极拳入门：起势与野马分鬃")
FIRST_AID_EVENTS = (
    "市民学堂：家庭急救技能培训",
    "上街区家庭急救技能培训",
    "高新技术产业开发区家庭急救技能培训",
)
READING_FESTIVAL = ("绿城读书节", "第12届绿城读书节", "第13届绿城读书节")
# The reading festival's picture-book event and the learning week's in two districts.
PICTURE_BOOK_READINGS = ("亲子共读绘本会", "巩义市亲子共读绘本会", "中原区亲子共读绘本会")

NEEDS: list[Need] = [
    # Phones and computers
    need("想学用智能手机", *SMARTPHONE, *SMARTPHONE_EVENTS),
    need("老人手机怎么视频通话", "智能手机使用：从开机到视频通话", "智能手机入门"),
    need("手机上怎么挂号", "智能手机使用：线上挂号与缴费"),
    need("手机拍照技巧", "用手机拍出好照片"),
    need("老年人学手机", *SMARTPHONE, "银龄数字课堂", *SMARTPHONE_EVENTS),
    need("学电脑表格", "办公软件：表格的基本用法"),
    need("退休老师学剪辑视频", "退休教师张桂兰：七十岁学会剪辑视频"),
    # Health and exercise
    need("金水区太极拳", "太极拳初级班", "每周太极拳晨练"),
    need("太极拳入门视频", "太极拳入门：起势与野马分鬃", "每天十五分钟太极拳：居家练习跟练"),
    need("在家练太极", "每天十五分钟太极拳：居家练习跟练"),
    need("早上打太极拳的地方", "每周太极拳晨练", "太极拳初级班"),
    need("心肺复苏怎么做", "家庭急救：心肺复苏怎么做"),
    need("孩子噎住了怎么办", "家庭急救：噎食了怎么办"),
    need("急救培训", *FIRST_AID_EVENTS, "家庭急救：心肺复苏怎么做"),
    need("高血压吃什么好", "三高人群的家常饮食"),
    need("老人晚上睡不着", "睡个好觉：中老年人的睡眠小窍门"),
    need("跳广场舞膝盖疼", "健身广场舞：不伤膝盖的跳法"),
    need("老年人营养", "老年营养与健康"),
    need("老年人怎么锻炼身体", "老年人如何科学锻炼"),
    need("中医养生讲座", "中医养生的四季智慧"),
    need("老人心理健康", "心理健康与幸福晚年"),
    # Safety and the law
    need(
        "接到诈骗电话怎么办",
        "防范电信诈骗：接到“客服”电话先挂断",
        "防范电信网络诈骗宣传手册",
        "防范电信诈骗",
    ),
    need("老人防骗", "老年人防骗顺口溜", "防范养老诈骗，守护晚年生活"),
    need("养老诈骗讲座", "防范养老诈骗，守护晚年生活"),
    need("孩子上学路上安全", "上学路上的交通安全"),
    need("租房合同注意事项", "生活中的法律常识：租房合同要注意什么"),
    need("家庭教育法", "读懂家庭教育促进法"),
    # Everyday life
    need("垃圾怎么分类", "垃圾分类一点通", "家庭垃圾分类对照表"),
    need("厨余垃圾放哪个桶", "家庭垃圾分类对照表", "垃圾分类一点通"),
    need("家庭理财入门", "家庭理财入门"),
    need("文明城市", "文明城市，从我做起"),
    # Work and skills
    need("想开网店", "电商创业第一课：开一家网店"),
    need("学直播卖货", "直播带货入门", "电商直播入门"),
    need("农产品怎么在网上卖", "农产品网上销售操作指南"),
    need("找工作写简历", "求职简历这样写"),
    need("面试要注意什么", "面试前要准备什么"),
    need("家政培训", "家政服务技能培训"),
    need("外卖小哥考电工证", "外卖骑手李师傅：夜校里考下电工证"),
    need("农民工夜校", "新市民夜校课程包", "外卖骑手李师傅：夜校里考下电工证"),
    need("大棚蔬菜种植", "农业种植技术：大棚蔬菜的温湿度管理", "蔬菜大棚种植技术"),
    need("小麦春天怎么管", "农业种植技术：小麦春季田间管理"),
    need("果树生虫了", "常见果树病虫害识别图册"),
    # Culture
    need("学说普通话", "普通话：声调与常见误读", "普通话朗读练习材料", "普通话提升"),
    need("练毛笔字", "书法入门：楷书的基本笔画", "书法兴趣班"),
    need("书法班", "书法兴趣班", "荥阳市书法入门体验课", "二七区书法入门体验课"),
    need("毛笔宣纸怎么挑", "文房四宝怎么选"),
    need("黄河文化讲座", "黄河文明与郑州的城市记忆", "黄河文化：大河之畔的郑州"),
    need("黄河边的老故事", "黄河故事：听老船工讲渡口往事"),
    need("学唱豫剧", "豫剧唱段欣赏与学唱", "中原戏曲漫谈：豫剧的前世今生"),
    need("过年剪窗花", "剪纸：剪一个福字窗花"),
    need("唐诗讲座", "唐诗里的中原风物"),
    need("少林功夫", "少林武术与传统体育"),
    # Children and families
    need("周末带孩子去哪看书", "周末亲子阅读", *PICTURE_BOOK_READINGS, "亲子共读：每天二十分钟"),
    need("青春期孩子不听话", "育儿：如何和青春期孩子沟通"),
    need("孩子玩手机管不住", "育儿：孩子看手机的时间怎么管"),
    need("育儿课程", "育儿知识课堂"),
    need("陪孩子读绘本", *PICTURE_BOOK_READINGS, "亲子共读：每天二十分钟", "周末亲子阅读"),
    # Reading and festivals
    need(
        "读书节有什么活动",
        *READING_FESTIVAL,
        "读书分享会",
        "绿城读书节社区分会场：百场共读活动走进楼院",
    ),
    need("旧书交换", "图书漂流集市"),
    need("诗歌朗诵比赛", "诗词朗诵会"),
    need("终身学习活动周", "全民终身学习活动周", "2026年郑州市全民终身学习活动周"),
    # Schools, courses and the network
    need("老年大学报名", "课程", "老年营养与健康", "智能手机入门", "太极拳初级班"),
    need("家附近的社区学校", "郑州社区大学"),
    need("金水区社区学院", "金水区社区学院"),
    need("花园路街道", "花园路街道社区教育中心"),
    need("春节社区学校放假吗", "春节期间社区学校暂停线下课程的通知"),
    need("招募志愿讲师", "社区教育志愿讲师招募公告"),
    need("想当志愿者", "志愿者招募", "社区志愿服务指南", "社区教育志愿讲师招募公告"),
    need("郑州讲坛", "郑州讲坛"),
    need("学习型组织", "学习型组织"),
]

# (typed in traditional characters, the simplified form)
TRADITIONAL: list[tuple[str, str]] = [
    ("學校", "学校"),
    ("書法", "书法"),
    ("讀書節", "读书节"),
    ("太極拳", "太极拳"),
    ("智能手機", "智能手机"),
    ("電信詐騙", "电信诈骗"),
    ("黃河文化", "黄河文化"),
    ("垃圾分類", "垃圾分类"),
    ("講座", "讲座"),
    ("課程", "课程"),
    ("圖書", "图书"),
    ("養生", "养生"),
    ("廣場舞", "广场舞"),
    ("豫劇", "豫剧"),
    ("剪紙", "剪纸"),
    ("普通話", "普通话"),
    ("農業種植", "农业种植"),
    ("親子閱讀", "亲子阅读"),
    ("志願者", "志愿者"),
    ("終身學習", "终身学习"),
    ("電商直播", "电商直播"),
    ("社區教育中心", "社区教育中心"),
    ("心理健康講座", "心理健康"),
    ("防範詐騙", "防范"),
]

# (pinyin with one slip, the word meant)
PINYIN_SLIPS: list[tuple[str, str]] = [
    ("zhengzhuo", "郑州"),
    ("taijiquang", "太极拳"),
    ("zhinengshoji", "智能手机"),
    ("huanhe", "黄河"),
    ("putonhua", "普通话"),
    ("laonia", "老年"),
    ("jijio", "急救"),
    ("lajifenle", "垃圾分类"),
    ("dianxinzapian", "电信诈骗"),
    ("dusujie", "读书节"),
    ("jianzi", "剪纸"),
    ("guanchangwu", "广场舞"),
    ("yangshen", "养生"),
    ("shufaa", "书法"),
]

SETS = ("needs", "traditional", "pinyin-slips")
