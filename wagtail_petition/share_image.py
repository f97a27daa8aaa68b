"""The generated share image: a 1200x630 PNG with a petition's title, its
count and a progress bar, in the site's colours.

Pure drawing, no Django: the caller passes the words, already translated,
and the colours (``wagtail_petition.previews`` caches the bytes). The font is
Pillow's own (``ImageFont.load_default``), so nothing is downloaded.
"""

from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
# The title's font sizes, tried largest first, and the most lines it may take.
TITLE_SIZES = (76, 68, 60, 54, 48, 42)
TITLE_MAX_LINES = 4
TITLE_TOP, TITLE_BOTTOM = 140, 410
BAR_TOP, BAR_HEIGHT = 520, 28


@dataclass(frozen=True)
class ShareCard:
    """What the image shows: words already translated and formatted, the bar's
    filled share (0 to 1) and the colours as "#rrggbb"."""

    title: str
    count_text: str
    goal_text: str
    progress: float
    site_name: str
    background: str
    text: str
    accent: str


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def wrap(text: str, face, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``; a word too long for a line
    is cut to fit."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while face.getlength(line) > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and face.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def shorten(line: str, face, width: int) -> str:
    """``line`` with an ellipsis, cut to fit ``width``."""
    while line and face.getlength(line + "…") > width:
        line = line[:-1].rstrip()
    return line + "…"


def fit_title(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font that fits the title in its box, and its lines; at the
    smallest size, a title still too long ends with an ellipsis."""
    height = TITLE_BOTTOM - TITLE_TOP
    for size in TITLE_SIZES:
        face = font(size)
        lines = wrap(title, face, TEXT_WIDTH)
        if len(lines) <= TITLE_MAX_LINES and len(lines) * line_height(size) <= height:
            return face, lines
    lines = wrap(title, face, TEXT_WIDTH)
    kept = max(1, min(TITLE_MAX_LINES, height // line_height(size)))
    if len(lines) > kept:
        lines = lines[: kept - 1] + [shorten(lines[kept - 1], face, TEXT_WIDTH)]
    return face, lines


def line_height(size: int) -> int:
    return round(size * 1.2)


def mix(colour: str, other: str, share: float) -> tuple[int, int, int]:
    """``colour`` moved ``share`` of the way toward ``other``."""
    a, b = rgb(colour), rgb(other)
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def draw(card: ShareCard) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), rgb(card.background))
    canvas = ImageDraw.Draw(image)
    text, muted = rgb(card.text), mix(card.text, card.background, 0.3)

    small = font(32)
    canvas.text((MARGIN, 64), shorten_to(card.site_name, small), font=small, fill=muted)

    face, lines = fit_title(card.title)
    y = TITLE_TOP
    for line in lines:
        canvas.text((MARGIN, y), line, font=face, fill=text)
        y += line_height(face.size)

    count_face = font(44)
    canvas.text((MARGIN, BAR_TOP - 24), card.count_text, font=count_face, fill=text, anchor="ls")
    room = TEXT_WIDTH - count_face.getlength(card.count_text) - 40
    if card.goal_text and small.getlength(card.goal_text) <= room:
        canvas.text(
            (WIDTH - MARGIN, BAR_TOP - 24), card.goal_text, font=small, fill=muted, anchor="rs"
        )

    bar = (MARGIN, BAR_TOP, WIDTH - MARGIN, BAR_TOP + BAR_HEIGHT)
    radius = BAR_HEIGHT // 2
    canvas.rounded_rectangle(bar, radius, fill=mix(card.background, card.text, 0.2))
    share = min(max(card.progress, 0.0), 1.0)
    if share > 0:
        right = MARGIN + max(BAR_HEIGHT, round(TEXT_WIDTH * share))
        canvas.rounded_rectangle((MARGIN, BAR_TOP, right, bar[3]), radius, fill=rgb(card.accent))

    output = BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def shorten_to(text: str, face) -> str:
    return text if face.getlength(text) <= TEXT_WIDTH else shorten(text, face, TEXT_WIDTH)
