# Semgrep test for vk-unsafe-html (SE-6): run with `semgrep --test .semgrep`.
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def render_name(werknemer, help_text):
    # ruleid: vk-unsafe-html
    a = mark_safe(werknemer.full_name)
    # ruleid: vk-unsafe-html
    b = mark_safe(f"<b>{werknemer.full_name}</b>")
    # ruleid: vk-unsafe-html
    c = format_html(f"<b>{werknemer.full_name}</b>")
    # ruleid: vk-unsafe-html
    d = format_html("<b>%s</b>" % werknemer.full_name)
    # ruleid: vk-unsafe-html
    e = SafeString(help_text)
    # ok: vk-unsafe-html
    f = mark_safe("<br>")
    # ok: vk-unsafe-html
    g = format_html("<b>{}</b>", werknemer.full_name)
    return a, b, c, d, e, f, g
