from wagtail import hooks

from .demo import load_news_demo
from .sections import latest_news_section, notices_section

hooks.register("home_page_sections", notices_section)
hooks.register("home_page_sections", latest_news_section)
# After the schools (10), courses (20) and events (30): the demo articles name them.
hooks.register("register_demo_content", load_news_demo, order=40)
