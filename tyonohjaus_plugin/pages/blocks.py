"""StreamField blocks of the service page body. Each renders its own namespaced template."""

import uuid

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

BLOCK_TEMPLATE = "tyonohjaus_plugin/blocks/{}.html"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = BLOCK_TEMPLATE.format("heading_block")


class BulletListBlock(blocks.StructBlock):
    intro = blocks.CharBlock(label=_("Introduction"), required=False, max_length=300)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item"), max_length=300), label=_("Items"))

    class Meta:
        icon = "list-ul"
        label = _("Bullet list")
        template = BLOCK_TEMPLATE.format("bullet_list_block")


class NoticeBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("info", _("Information")), ("important", _("Important"))],
        default="info",
    )
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        label = _("Notice")
        template = BLOCK_TEMPLATE.format("notice_block")


class FactBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=100)
    value = blocks.CharBlock(label=_("Value"), max_length=200)

    class Meta:
        icon = "tick"
        label = _("Fact")


class FactsBlock(blocks.StructBlock):
    """Key facts at a glance, e.g. "Group size: 2–4", "Meetings: 3–5 × 1–1.5 h"."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    facts = blocks.ListBlock(FactBlock(), label=_("Facts"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Facts")
        template = BLOCK_TEMPLATE.format("facts_block")


class ExternalLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("URL"))
    text = blocks.CharBlock(label=_("Link text"), max_length=200)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=300)

    class Meta:
        icon = "link-external"
        label = _("External link")
        template = BLOCK_TEMPLATE.format("external_link_block")


class ServiceBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["bold", "italic", "link", "ol", "ul"],
        template=BLOCK_TEMPLATE.format("paragraph_block"),
    )
    bullet_list = BulletListBlock()
    notice = NoticeBlock()
    facts = FactsBlock()
    external_link = ExternalLinkBlock()


def list_block_data(values) -> list[dict]:
    """Raw ListBlock data in Wagtail's block format, for content created in code.

    A plain list of values is accepted by Wagtail too, but wagtail-localize only offers list items
    for translation once they are stored in this format (with an id per item).
    """
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]
