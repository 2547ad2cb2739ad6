"""The shared StreamField block set used by every free-form page body on the site."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题文字"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("级别"),
        choices=[("h2", _("二级标题")), ("h3", _("三级标题")), ("h4", _("四级标题"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "home/blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=200)
    alt_text = blocks.CharBlock(
        label=_("替代文字"),
        required=False,
        max_length=200,
        help_text=_("为使用读屏软件的读者描述图片内容；留空则使用图片标题。"),
    )

    class Meta:
        icon = "image"
        label = _("图片")
        template = "home/blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    attribution = blocks.CharBlock(label=_("出处"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("引用")
        template = "home/blocks/quote_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文档"))
    title = blocks.CharBlock(
        label=_("链接文字"), required=False, help_text=_("留空则使用文档标题。")
    )

    class Meta:
        icon = "doc-full"
        label = _("文档下载")
        template = "home/blocks/document_link_block.html"


class LinkBlock(blocks.StructBlock):
    """A link to a page on this site or to an external address."""

    title = blocks.CharBlock(label=_("链接文字"), max_length=60)
    page = blocks.PageChooserBlock(label=_("站内页面"), required=False)
    url = blocks.URLBlock(label=_("外部链接"), required=False)

    class Meta:
        icon = "link"
        label = _("链接")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": blocks.BlockValidationError(_("请在站内页面和外部链接中选择一个。"))
                }
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=80)
    text = blocks.TextBlock(label=_("说明"), required=False)
    link = LinkBlock(label=_("按钮"))

    class Meta:
        icon = "pick"
        label = _("行动按钮")
        template = "home/blocks/call_to_action_block.html"


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("正文"), features=RICH_TEXT_FEATURES, template="home/blocks/paragraph_block.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    table = TableBlock(
        label=_("表格"),
        template="home/blocks/table_block.html",
        table_options={"language": "zh-CN"},
    )
    document = DocumentLinkBlock()
    embed = EmbedBlock(
        label=_("嵌入媒体"),
        help_text=_("粘贴视频网站的分享链接。"),
        template="home/blocks/embed_block.html",
    )
    call_to_action = CallToActionBlock()

    class Meta:
        label = _("正文内容")
