"""Demo directory: every district and zone of Zhengzhou as a tier-2 college, with real street
and town names for its centres and plausible (invented) schools and learning points."""

from __future__ import annotations

import hashlib

from wagtail.models import Page

from demo.helpers import DemoReport, ensure_child_page, ensure_image, ensure_user
from demo.loaders.home import DEMO_PASSWORD
from schools.models import (
    CommunityCentrePage,
    CommunityCollegePage,
    CommunitySchoolPage,
    CommunityUniversityPage,
    Facility,
    SchoolRole,
)
from schools.roles import assign_role, setup_roles

# (slug, district, centre of the district (lat, lng) as on AMap, [(centre slug, street or town)])
DISTRICTS = [
    (
        "zhongyuan",
        "中原区",
        (34.7480, 113.6130),
        [
            ("linshanzhai", "林山寨街道"),
            ("jianshelu", "建设路街道"),
            ("mianfanglu", "棉纺路街道"),
            ("xushui", "须水街道"),
        ],
    ),
    (
        "erqi",
        "二七区",
        (34.7240, 113.6400),
        [("wulibao", "五里堡街道"), ("daxuelu", "大学路街道"), ("huaihelu", "淮河路街道")],
    ),
    (
        "guancheng",
        "管城回族区",
        (34.7540, 113.6780),
        [
            ("beixiajie", "北下街街道"),
            ("zijingshannanlu", "紫荆山南路街道"),
            ("dongdajie", "东大街街道"),
        ],
    ),
    (
        "jinshui",
        "金水区",
        (34.8000, 113.6600),
        [
            ("jingbalu", "经八路街道"),
            ("huayuanlu", "花园路街道"),
            ("fengchanlu", "丰产路街道"),
            ("wenhualu", "文化路街道"),
        ],
    ),
    (
        "shangjie",
        "上街区",
        (34.8020, 113.2990),
        [("jiyuanlu", "济源路街道"), ("zhongxinlu", "中心路街道"), ("xiawo", "峡窝镇")],
    ),
    (
        "huiji",
        "惠济区",
        (34.8680, 113.6170),
        [("huayuankou", "花园口镇"), ("xincheng", "新城街道"), ("changxinglu", "长兴路街道")],
    ),
    (
        "gongyi",
        "巩义市",
        (34.7480, 113.0220),
        [("xiaoyi", "孝义街道"), ("gongyi-xinhualu", "新华路街道"), ("mihe", "米河镇")],
    ),
    (
        "xingyang",
        "荥阳市",
        (34.7870, 113.3830),
        [("suohe", "索河街道"), ("jingchenglu", "京城路街道"), ("guangwu", "广武镇")],
    ),
    (
        "xinmi",
        "新密市",
        (34.5400, 113.3900),
        [("qingpingjie", "青屏街街道"), ("xinmi-xinhualu", "新华路街道"), ("chaohua", "超化镇")],
    ),
    (
        "xinzheng",
        "新郑市",
        (34.3960, 113.7410),
        [("xinjianlu", "新建路街道"), ("xinzheng-xinhualu", "新华路街道"), ("longhu", "龙湖镇")],
    ),
    (
        "dengfeng",
        "登封市",
        (34.4530, 113.0500),
        [("songyang", "嵩阳街道"), ("shaolin", "少林街道"), ("dajindian", "大金店镇")],
    ),
    (
        "zhongmu",
        "中牟县",
        (34.7190, 113.9760),
        [("qingnianlu", "青年路街道"), ("dongfenglu", "东风路街道"), ("yanminghu", "雁鸣湖镇")],
    ),
    (
        "zhengdong",
        "郑东新区",
        (34.7700, 113.7300),
        [("ruyihu", "如意湖街道"), ("longzihu", "龙子湖街道"), ("boxuelu", "博学路街道")],
    ),
    (
        "airport",
        "郑州航空港经济综合实验区",
        (34.5270, 113.8400),
        [("xingang", "新港办事处"), ("zhangzhuang", "张庄办事处"), ("longwang", "龙王办事处")],
    ),
    (
        "hightech",
        "高新技术产业开发区",
        (34.8090, 113.5530),
        [("shifo", "石佛办事处"), ("gouzhao", "沟赵办事处"), ("fengyang", "枫杨办事处")],
    ),
    (
        "economic",
        "经济技术开发区",
        (34.7160, 113.7290),
        [("minghu", "明湖办事处"), ("chaohe", "潮河办事处"), ("jinghang", "京航办事处")],
    ),
]

# Names for communities (urban) and villages (towns); combined with the centre to stay unique.
COMMUNITY_NAMES = [
    "幸福里",
    "锦绣",
    "和平",
    "春晖",
    "书香苑",
    "杏林",
    "翠竹园",
    "兴华",
    "康宁",
    "阳光",
    "枫林",
    "育才",
]
VILLAGE_NAMES = ["王庄", "李寨", "刘沟", "张岗", "河西", "槐树岭", "东坡", "南岗"]

SCHOOL_HOURS = [
    {"days": ["1", "2", "3", "4", "5"], "opens": "08:30", "closes": "11:30", "note": ""},
    {"days": ["1", "2", "3", "4", "5"], "opens": "14:30", "closes": "17:30", "note": ""},
    {"days": ["6"], "opens": "09:00", "closes": "11:30", "note": "周末兴趣班"},
]
POINT_HOURS = [
    {"days": ["2", "4", "6"], "opens": "15:00", "closes": "17:30", "note": "数字化学习站开放"},
]
FACILITY_SETS = [
    ["多媒体教室", "图书室", "无障碍通道"],
    ["活动室", "书画室", "数字化学习设备"],
    ["电脑室", "舞蹈室", "无障碍通道", "图书室"],
    ["活动室", "数字化学习设备"],
]


def _number(seed: str, low: int, high: int) -> int:
    return low + int(hashlib.sha256(seed.encode()).hexdigest(), 16) % (high - low + 1)


def _offset(seed: str, spread: float) -> float:
    """A repeatable offset in [-spread, spread] so demo points scatter around their district."""
    return (_number(seed, 0, 20000) / 10000 - 1) * spread


def _phone(seed: str) -> str:
    return f"0371-{_number(seed, 6000, 6999)} {_number(seed + '#', 1000, 9999)}"


def _hours(rows):
    return [{"type": "hours", "value": row} for row in rows]


def load_schools_demo(home, report: DemoReport) -> None:
    facilities = {facility.name: facility for facility in Facility.objects.all()}
    university = ensure_child_page(
        report,
        home,
        CommunityUniversityPage,
        "schools",
        title="郑州社区大学",
        intro="全市社区教育的核心：统筹课程资源、培训社区教育工作者，并指导各区县社区学院开展工作。",
        address="郑州市金水区文化路社区教育大楼",
        phone="0371-6718 0000",
        contact_person="市社区教育指导服务中心",
        latitude=34.7866,
        longitude=113.6578,
        opening_hours=_hours(SCHOOL_HOURS[:2]),
        public_transport="乘坐公交到文化路站下车，步行约 300 米。",
        cover_image=ensure_image(report, "郑州社区大学"),
        show_in_menus=True,
        search_description="查找郑州市各区县社区学院、社区教育中心、社区学校和学习点。",
    )
    for district_index, (slug, district_name, (lat, lng), centres) in enumerate(DISTRICTS):
        college = ensure_child_page(
            report,
            university,
            CommunityCollegePage,
            slug,
            title=f"{district_name}社区学院",
            district_name=district_name,
            intro=f"{district_name}社区教育的龙头，负责辖区内社区教育中心和社区学校的指导与培训。",
            address=f"郑州市{district_name}社区教育服务中心",
            phone=_phone(slug),
            contact_person="教务办公室",
            latitude=round(lat, 6),
            longitude=round(lng, 6),
            opening_hours=_hours(SCHOOL_HOURS[:2]),
            cover_image=ensure_image(report, f"{district_name}社区学院"),
            facilities=_pick(facilities, district_index),
        )
        for centre_index, (centre_slug, centre_name) in enumerate(centres):
            is_town = centre_name.endswith("镇")
            centre_lat = lat + _offset(centre_slug + "lat", 0.03)
            centre_lng = lng + _offset(centre_slug + "lng", 0.03)
            centre = ensure_child_page(
                report,
                college,
                CommunityCentrePage,
                centre_slug,
                title=f"{centre_name}社区教育中心",
                intro=f"面向{centre_name}居民开设课程和活动，联系辖区内的社区学校和学习点。",
                address=f"郑州市{district_name}{centre_name}便民服务中心三楼",
                phone=_phone(centre_slug),
                contact_person="社区教育专干",
                latitude=round(centre_lat, 6),
                longitude=round(centre_lng, 6),
                opening_hours=_hours(SCHOOL_HOURS[:2]),
                facilities=_pick(facilities, centre_index),
            )
            names = VILLAGE_NAMES if is_town else COMMUNITY_NAMES
            for school_index in range(3):
                name = names[(district_index * 3 + centre_index * 2 + school_index) % len(names)]
                kind = (
                    CommunitySchoolPage.KIND_POINT
                    if is_town or school_index == 2
                    else CommunitySchoolPage.KIND_SCHOOL
                )
                place = f"{name}村" if is_town else f"{name}社区"
                suffix = "学习点" if kind == CommunitySchoolPage.KIND_POINT else "社区学校"
                school_slug = f"{centre_slug}-{school_index + 1}"
                ensure_child_page(
                    report,
                    centre,
                    CommunitySchoolPage,
                    school_slug,
                    title=f"{centre_name}{place}{suffix}"
                    if kind == CommunitySchoolPage.KIND_POINT
                    else f"{centre_name}{name}社区学校",
                    kind=kind,
                    intro=(
                        f"设在{place}党群服务中心，开设智能手机、健康养生、书画和亲子阅读等课程。"
                        if kind == CommunitySchoolPage.KIND_SCHOOL
                        else f"{place}的数字化学习站，可借阅图书、观看讲座回放，参加周末学习小组。"
                    ),
                    address=f"郑州市{district_name}{centre_name}{place}党群服务中心",
                    phone=_phone(school_slug),
                    contact_person=f"{'王李张刘陈杨赵黄'[school_index + centre_index]}老师",
                    latitude=round(centre_lat + _offset(school_slug + "lat", 0.012), 6),
                    longitude=round(centre_lng + _offset(school_slug + "lng", 0.012), 6),
                    opening_hours=_hours(
                        SCHOOL_HOURS if kind == CommunitySchoolPage.KIND_SCHOOL else POINT_HOURS
                    ),
                    public_transport="社区门口有公交站，步行可达。",
                    facilities=_pick(facilities, school_index + centre_index),
                )
    load_community_roles(university, report)


# (role label, username, full name, role, scope path below /schools/)
DEMO_COMMUNITY_USERS = [
    (
        "社区工作者（金水区·学习点）",
        "jinshui_worker",
        "张社工",
        SchoolRole.WORKER,
        "jinshui/jingbalu/jingbalu-3",
    ),
    ("社区工作者（二七区·街道中心）", "erqi_worker", "赵社工", SchoolRole.WORKER, "erqi/wulibao"),
    ("区县审核员（金水区）", "jinshui_moderator", "李审核", SchoolRole.MODERATOR, "jinshui"),
    ("区县审核员（二七区）", "erqi_moderator", "刘审核", SchoolRole.MODERATOR, "erqi"),
]


def load_community_roles(university, report: DemoReport) -> None:
    """Roles for every district, the moderation workflow, and the demo workers and moderators."""
    setup_roles()
    for label, username, full_name, role, scope_path in DEMO_COMMUNITY_USERS:
        scope = Page.objects.filter(url_path=f"{university.url_path}{scope_path}/").first()
        if scope is None:
            continue
        user = ensure_user(
            report, role=label, username=username, password=DEMO_PASSWORD, full_name=full_name
        )
        assign_role(user, role, scope)


def _pick(facilities: dict, index: int) -> list[Facility]:
    names = FACILITY_SETS[index % len(FACILITY_SETS)]
    return [facilities[name] for name in names if name in facilities]
