"""``{% picture %}``: the ``<picture>`` element for a photo's renditions, as lists and story pages show them.

One element for both uses, written in Python: a list of twenty photo reports printed it twenty
times, and through the template language its variables cost more than the rest of the item.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

LAZY = mark_safe(' loading="lazy"')


@register.simple_tag
def picture(chosen, sizes, alt="", eager=False):
    """WebP sources and the JPEG fallback of ``chosen`` (an ``images.Picture``), for ``sizes``; nothing for None.

    The browser fetches it when it comes near the screen, or at once if ``eager`` (the first photo of a page).
    """
    if chosen is None:
        return ""
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{}></picture>',
        chosen.webp_srcset,
        sizes,
        chosen.src,
        chosen.jpeg_srcset,
        sizes,
        alt,
        chosen.width,
        chosen.height,
        "" if eager else LAZY,
    )
