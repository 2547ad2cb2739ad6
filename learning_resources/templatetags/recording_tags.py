"""The player's transcript and chapters: the cues of a recording's WebVTT files."""

from django import template

from learning_resources.recordings import recording_cues

register = template.Library()


@register.simple_tag
def cues_of(document):
    """``{% cues_of page.caption_file as cues %}``: the file's cues (start, end, text), or []."""
    return recording_cues(document)


@register.filter
def cue_time(seconds) -> str:
    """12.5 → "00:12", 3723 → "1:02:03": how a player shows a position."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@register.filter
def cue_seconds(seconds) -> str:
    """The position as the player's script reads it: seconds with a dot, never localised."""
    return f"{float(seconds or 0):.3f}"
