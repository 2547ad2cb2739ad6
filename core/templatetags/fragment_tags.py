"""``{% fragment %}``: a part of a template kept as a page fragment (core.page_cache.Fragment).

    {% load fragment_tags %}
    {% fragment "header" page|menu_section %} … {% endfragment %}

The arguments, with the template's name and the host, name the fragment: pass everything the
part varies with. What its content names while rendering (the menu's pages, the site settings)
is what invalidates it, exactly as for whole pages; unlike Django's ``{% cache %}``, there is no
timeout to choose and nothing to clear by hand.
"""

from django import template

from core.page_cache import Fragment, depend_on_page

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        name = "|".join(str(part.resolve(context)) for part in self.parts)
        fragment = Fragment(context.get("request"), f"{self.origin.template_name}|{name}")
        return fragment.get_or_build(lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "header" %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


@register.simple_tag
def depends_on_page(page):
    """Inside a fragment: it shows ``page`` (its title, address, pictures), so it is rebuilt
    when that page, or a page above it, changes, and not on every change elsewhere."""
    depend_on_page(page)
    return ""
