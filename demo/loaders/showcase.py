"""Demo showcase: learning organisations, model projects and learning stars linked to demo
schools and districts; the teachers page, the volunteer call and the statistics page."""

from __future__ import annotations

from django.utils import timezone

from demo.data.recordings import NETWORK_FILM
from demo.helpers import DemoReport, ensure_child_page, ensure_image
from demo.loaders.resources import ensure_recording
from home.models import Category
from schools.models import CommunityCollegePage, CommunitySchoolPage
from showcase.models import (
    HonourIndexPage,
    HonourKind,
    HonourPage,
    LearningOrganisationIndexPage,
    LearningOrganisationPage,
    OrganisationKind,
    PeopleIndexPage,
    ShowcaseIndexPage,
    ShowcasePhoto,
    StatisticsPage,
    VolunteerFormField,
    VolunteerPage,
)

POLICY_NUMBER = "郑政办文〔2013〕13号"


def _story(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in texts)}]


# (slug, kind, years ago, district slug, school index or None, title, summary, story)
ORGANISATIONS = [
    (
        "jinshui-learning-district",
        OrganisationKind.CITY_DISTRICT,
        6,
        "jinshui",
        None,
        "金水区",
        "全区建成覆盖街道和社区的学习网络，居民参加社区学习的比例逐年提高。",
        (
            "金水区把社区教育纳入区域发展规划，区社区学院统筹街道社区教育中心和社区学校，"
            "形成了十五分钟学习圈。",
            "区里每年评选学习型社区和学习型家庭，带动居民把学习当作生活的一部分。",
        ),
    ),
    (
        "jingbalu-subdistrict",
        OrganisationKind.SUBDISTRICT,
        4,
        "jinshui",
        None,
        "金水区经八路街道",
        "街道社区教育中心与辖区学校、医院结对，开设健康、法律和家庭教育课堂。",
        (
            "街道把闲置的会议室改成学习教室，白天开老年课程，晚上开设在职人员技能课。",
            "辖区的大学和医院派出教师志愿者，让居民在家门口听到专业的讲座。",
        ),
    ),
    (
        "weilai-community",
        OrganisationKind.COMMUNITY,
        3,
        "jinshui",
        0,
        "未来路社区",
        "社区学校常年开设书法、合唱和智能手机课程，学员自发组建了八支学习团队。",
        (
            "社区学校由居委会、物业和驻区单位共同管理，课程表每季度征求居民意见后调整。",
            "学员自己组建的合唱队和书法社已经能独立组织活动，还经常到敬老院演出。",
        ),
    ),
    (
        "erqi-tax-bureau",
        OrganisationKind.AGENCY,
        5,
        "erqi",
        None,
        "二七区机关读书会",
        "机关干部每月一次读书分享，并把读书会开放给辖区居民。",
        (
            "读书会由干部轮流主持，书目兼顾政策理论、历史文化和生活常识。",
            "每季度一次的开放日邀请居民参加，已成为社区里受欢迎的学习活动。",
        ),
    ),
    (
        "zhongyuan-textile-factory",
        OrganisationKind.UNIT,
        2,
        "zhongyuan",
        None,
        "中原区纺织企业职工学校",
        "企业与社区学院合作开展转岗培训，帮助职工掌握新设备和新技能。",
        (
            "企业设备更新后，职工学校和社区学院联合开设了数控操作和质量管理课程。",
            "培训结合岗位实际，结业的职工大多在新岗位上站稳了脚跟。",
        ),
    ),
    (
        "xinzheng-township",
        OrganisationKind.TOWNSHIP,
        3,
        "xinzheng",
        None,
        "新郑市龙湖镇",
        "乡镇社区教育中心把农业技术、电商和文明乡风课程送进各村。",
        (
            "镇里的社区教育中心在每个行政村设学习点，农闲时集中培训，农忙时送课到田间。",
            "返乡青年当起电商讲师，带着乡亲们在网上卖红枣和蜂蜜。",
        ),
    ),
    (
        "guancheng-courtyard",
        OrganisationKind.COURTYARD,
        1,
        "guancheng",
        8,
        "管城回族区东大街3号院",
        "楼院里的“睦邻书屋”由居民轮流值守，老人和孩子一起读书、写字。",
        (
            "书屋的图书都是住户捐的，居民排班值守，周末还有大学生志愿者来辅导孩子功课。",
            "楼院把学习和邻里互助结合起来，邻居之间的矛盾少了，来往多了。",
        ),
    ),
    (
        "wang-family",
        OrganisationKind.FAMILY,
        1,
        "huiji",
        12,
        "惠济区王家三代学习之家",
        "祖孙三代一起上社区学校：爷爷学摄影，妈妈学家庭教育，孩子学非遗剪纸。",
        (
            "一家人每周固定一个晚上交流各自学到的东西，孩子教爷爷用修图软件，爷爷教孩子认识老郑州。",
            "这个家庭的故事在社区学校的结业展上展出，带动了楼里更多家庭一起报名。",
        ),
    ),
]

# (slug, kind, years ago, district slug, school index or None, category slug, title, summary, story)
HONOURS = [
    (
        "smartphone-elders-project",
        HonourKind.PROJECT,
        2,
        "jinshui",
        0,
        "skills",
        "银龄数字课堂",
        "面向老年人的智能手机系列课程，配套视频微课和志愿者一对一辅导。",
        (
            "项目把常用的手机操作拆成十二个小课，每课只学一件事，学完就能用上。",
            "课程录成微课放在本网站，学员回家可以反复看。",
        ),
    ),
    (
        "yellow-river-culture-project",
        HonourKind.PROJECT,
        3,
        "huiji",
        None,
        "culture-arts",
        "黄河文化进社区",
        "把黄河文化讲座、非遗体验和研学线路送到沿黄社区。",
        (
            "社区学院联合博物馆和高校，整理出一套适合居民的黄河文化课程。",
            "每年组织的沿黄研学活动吸引了许多青少年和家庭参加。",
        ),
    ),
    (
        "migrant-workers-night-school",
        HonourKind.ACHIEVEMENT,
        1,
        "economic",
        None,
        "skills",
        "新市民夜校课程包",
        "为外来务工人员编写的夜校课程，涵盖劳动权益、城市生活和职业技能。",
        (
            "课程包由社区学院教师和企业培训师共同编写，每课配有案例和练习。",
            "已在多个产业园区的夜校使用，学员反映内容实用、听得懂。",
        ),
    ),
    (
        "family-education-reader",
        HonourKind.ACHIEVEMENT,
        4,
        "erqi",
        None,
        "moral",
        "社区家庭教育读本",
        "一本写给家长的小册子，用身边的故事讲亲子沟通和家风传承。",
        (
            "读本由社区教育工作者和心理咨询师合写，语言通俗，配有插图。",
            "社区学校以它为教材开设家长课堂，受到年轻父母欢迎。",
        ),
    ),
    (
        "star-retired-teacher",
        HonourKind.STAR,
        1,
        "jinshui",
        1,
        "culture-arts",
        "退休教师张桂兰：七十岁学会剪辑视频",
        "从零开始学智能手机，如今在社区学校教邻居剪辑短视频。",
        (
            "张老师退休后报名社区学校的手机课，从不会打字到能独立剪辑视频，用了一年。",
            "现在她每周在社区学校带一个班，学员都是和她一样的老年人。",
        ),
    ),
    (
        "star-delivery-rider",
        HonourKind.STAR,
        2,
        "zhongyuan",
        None,
        "skills",
        "外卖骑手李师傅：夜校里考下电工证",
        "利用送餐间隙在社区夜校学习，两年后考取电工证，换了更稳定的工作。",
        (
            "李师傅白天送外卖，晚上到社区学校上电工课，下雨天就在手机上看课程回放。",
            "考取证书后，他回到夜校给新学员分享经验，鼓励大家坚持学下去。",
        ),
    ),
]

VOLUNTEER_FIELDS = [
    ("称呼", "singleline", True, "", "例如：王老师、李女士。无需填写身份证号。"),
    ("手机号码", "phone", True, "", "只用于安排志愿服务时联系您。"),
    (
        "所在区县",
        "dropdown",
        True,
        "中原区\n二七区\n管城回族区\n金水区\n上街区\n惠济区\n巩义市\n荥阳市\n新密市\n新郑市\n登封市\n中牟县\n郑东新区\n航空港区\n高新区\n经开区",
        "",
    ),
    (
        "可以提供的服务",
        "checkboxes",
        True,
        "讲课或讲座\n活动组织\n智能手机辅导\n摄影、宣传\n其他",
        "",
    ),
    ("特长或想说的话", "multiline", False, "", "例如：擅长书法，周末有空。"),
    ("我同意本网站按上面的说明使用我填写的信息", "checkbox", True, "", ""),
]


def load_showcase_demo(home, report: DemoReport) -> None:
    today = timezone.localdate()
    districts = {page.slug: page for page in CommunityCollegePage.objects.live()}
    schools = {
        district_slug: list(
            CommunitySchoolPage.objects.live().descendant_of(district).order_by("path")
        )
        for district_slug, district in districts.items()
    }
    categories = {category.slug: category for category in Category.objects.all()}

    showcase = ensure_child_page(
        report,
        home,
        ShowcaseIndexPage,
        "showcase",
        title="学习型组织与示范项目",
        intro=(
            f"按照{POLICY_NUMBER}的要求，全市开展学习型组织创建和社区教育示范项目评选。"
            "这里展示历年命名的学习型组织、示范项目、优秀成果和百姓学习之星。"
        ),
        show_in_menus=True,
    )
    organisations = ensure_child_page(
        report,
        showcase,
        LearningOrganisationIndexPage,
        "organisations",
        title="学习型组织",
        intro="学习型城区、机关、单位、街道、乡镇、社区、楼院和家庭，按年度、类型和区县查找。",
    )
    honours = ensure_child_page(
        report,
        showcase,
        HonourIndexPage,
        "honours",
        title="示范项目与百姓学习之星",
        intro="社区教育示范项目、优秀成果和百姓学习之星的事迹。",
    )

    def place(district_slug, school_index):
        district = districts.get(district_slug)
        school = None
        if school_index is not None and schools.get(district_slug):
            district_schools = schools[district_slug]
            school = district_schools[school_index % len(district_schools)]
        return district, school

    for number, (
        slug,
        kind,
        years_ago,
        district_slug,
        school_index,
        title,
        summary,
        story,
    ) in enumerate(ORGANISATIONS):
        district, school = place(district_slug, school_index)
        page = ensure_child_page(
            report,
            organisations,
            LearningOrganisationPage,
            slug,
            title=title,
            kind=kind,
            year=today.year - years_ago,
            district=district,
            school=school,
            summary=summary,
            story=_story(*story),
            cover_image=ensure_image(report, f"学习型组织：{title}"),
        )
        if number < 3 and not page.showcase_photos.exists():
            for photo_number, caption in enumerate(("学习活动现场", "学员作品展示"), start=1):
                ShowcasePhoto.objects.create(
                    page=page,
                    image=ensure_image(report, f"{title}：{caption}", (960, 640)),
                    caption=caption,
                    sort_order=photo_number,
                )

    video = _demo_video(report)
    for (
        slug,
        kind,
        years_ago,
        district_slug,
        school_index,
        category_slug,
        title,
        summary,
        story,
    ) in HONOURS:
        district, school = place(district_slug, school_index)
        ensure_child_page(
            report,
            honours,
            HonourPage,
            slug,
            title=title,
            kind=kind,
            year=today.year - years_ago,
            district=district,
            school=school,
            category=categories.get(category_slug),
            summary=summary,
            story=_story(*story),
            cover_image=ensure_image(report, f"示范展示：{title}"),
            video=video if kind == HonourKind.STAR else None,
        )

    ensure_child_page(
        report,
        home,
        PeopleIndexPage,
        "teachers",
        title="师资队伍",
        intro="在社区学校授课的教师和郑州讲坛的主讲人。点击姓名查看他们讲授的课程和讲座。",
        show_in_menus=True,
    )
    _load_volunteer_page(report, home)
    ensure_child_page(
        report,
        home,
        StatisticsPage,
        "statistics",
        title="数据统计",
        intro="全市社区教育网络的规模和本年度学习活动情况，根据本网站发布的内容自动统计。",
    )


def _demo_video(report):
    """The short film about the network that the 学习之星 honours show."""
    media, _captions, _chapters = ensure_recording(report, NETWORK_FILM)
    return media


def _load_volunteer_page(report, home) -> None:
    existed = home.get_children().filter(slug="volunteer").exists()
    page = ensure_child_page(
        report,
        home,
        VolunteerPage,
        "volunteer",
        title="志愿者招募",
        intro=(
            "<p>社区学校需要讲课的老师、组织活动的帮手和教老人用手机的耐心人。"
            "无论您是退休教师、在校大学生还是各行各业的能手，都欢迎加入社区教育志愿者队伍。</p>"
            "<p>报名后，所在区县的社区学院会在两周内与您联系，商量服务内容和时间。</p>"
        ),
        thank_you_text="<p>感谢您的报名！所在区县的社区学院会在两周内与您联系。</p>",
        to_address="volunteers@zzlearning.example",
        from_address="noreply@zzlearning.example",
        subject="志愿者招募：有新的报名",
    )
    if existed:
        return
    for order, (label, field_type, required, choices, help_text) in enumerate(VOLUNTEER_FIELDS):
        VolunteerFormField.objects.create(
            page=page,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            help_text=help_text,
        )
