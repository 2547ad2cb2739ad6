from wagtail import hooks

from .sections import latest_news_section, notices_section

hooks.register("home_page_sections", notices_section)
hooks.register("home_page_sections", latest_news_section)
