"""Demo search synonyms (设置 → 搜索同义词): the everyday words residents type for the site's topics.

Each group lets a query naming one word find pages that use another: 电脑 finds 计算机 classes,
老人 finds pages for 老年人 and 长者. Loaded once; a group already there (by its words) is kept.
"""

from __future__ import annotations

from demo.helpers import DemoReport
from search.models import SearchSynonym

SYNONYM_GROUPS = [
    ("手机 / 智能手机", "老年人最常问的就是手机"),
    ("电脑 / 计算机 / 办公软件", ""),
    ("上网 / 网络 / 互联网", ""),
    ("太极 / 太极拳", ""),
    ("广场舞 / 舞蹈 / 跳舞", ""),
    ("养生 / 保健 / 健康", ""),
    ("书法 / 毛笔字 / 写字", ""),
    ("画画 / 绘画 / 美术", ""),
    ("唱歌 / 声乐 / 合唱", ""),
    ("读书 / 阅读 / 看书", ""),
    ("老人 / 老年人 / 长者 / 长辈 / 中老年", ""),
    ("讲座 / 讲坛 / 讲堂", ""),
    ("报名 / 登记", ""),
    ("孩子 / 少儿 / 儿童 / 小孩", ""),
    ("防骗 / 防诈骗 / 反诈", "居民常说“防骗”，页面多写“防范电信诈骗”"),
    ("视频通话 / 视频聊天", ""),
    ("志愿者 / 义工 / 志愿服务", ""),
    ("高血压 / 三高 / 慢性病", ""),
    ("卖货 / 带货 / 电商", "居民说“直播卖货”，课程写“直播带货”“电商直播”"),
    ("农民工 / 务工人员 / 新市民", ""),
    ("生虫 / 虫害 / 病虫害", ""),
    ("毛笔 / 宣纸 / 文房四宝 / 笔墨纸砚", ""),
    ("过年 / 春节 / 新年", ""),
    ("旧书 / 换书 / 图书漂流", ""),
    ("诗歌 / 诗词", ""),
    ("亲子 / 带孩子", ""),
    ("睡不着 / 失眠 / 睡眠", "居民说“睡不着”，文章写“睡眠”"),
]


def load_search_demo(home, report: DemoReport) -> None:
    existing = {str(group) for group in SearchSynonym.objects.all()}
    for words, note in SYNONYM_GROUPS:
        group = SearchSynonym(words=words, note=note)
        if str(group) in existing:
            continue
        group.full_clean()
        group.save()
        report.add(f"搜索同义词：{group}")
