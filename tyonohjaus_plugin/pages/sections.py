"""The service page's sections (application form, feedback prompt) are built by the capability
packages that own them; the page model finds them through a Wagtail hook, so it imports none of
them (the application form needs the models: a direct import would be a cycle).

A section registers a function returning ``(name, builder)``; ``builder(page, request, form=None)``
returns the section's template context or ``None`` when the page does not show it.
"""

from __future__ import annotations

from wagtail import hooks

HOOK_NAME = "register_tyonohjaus_page_section"


def section_context(name: str, page, request, form=None) -> dict | None:
    for hook in hooks.get_hooks(HOOK_NAME):
        section_name, builder = hook()
        if section_name == name:
            return builder(page, request, form=form)
    return None
