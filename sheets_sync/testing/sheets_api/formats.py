"""How Google stores what a request sends: colors, cell formats, ranges.

Colors are kept at 8 bits a channel and written back as 32-bit floats with zero channels
left out (``{"red": 1, "green": 0, "blue": 0.5}`` reads back as
``{"red": 1, "blue": 0.49803922}``); a color and its ``...Style`` twin are kept in step;
a GridRange on the sheet with id 0 reads back without ``sheetId``.
"""

from __future__ import annotations

import math
import struct
from typing import Any

_CHANNELS = ("red", "green", "blue")
# Fields holding a Color, and the ColorStyle field Google fills in beside each.
_COLOR_TWINS = {
    "backgroundColor": "backgroundColorStyle",
    "foregroundColor": "foregroundColorStyle",
    "tabColor": "tabColorStyle",
    "color": "colorStyle",
}


def float32(x: float) -> float:
    """The shortest decimal that reads back as the same 32-bit float (as Google prints it)."""
    single = struct.unpack("f", struct.pack("f", x))[0]
    for digits in range(1, 10):
        candidate = float(f"{single:.{digits}g}")
        if struct.unpack("f", struct.pack("f", candidate))[0] == single:
            return candidate
    return float(single)


def color(value: Any) -> dict[str, Any]:
    """A Color as Google keeps it: 8 bits a channel, zero channels omitted."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, Any] = {}
    for channel in _CHANNELS:
        level = float(value.get(channel) or 0)
        quantized = math.floor(level * 255 + 1e-6) / 255
        if quantized:
            out[channel] = _number(float32(quantized))
    if value.get("alpha") is not None:
        out["alpha"] = _number(float32(float(value["alpha"])))
    return out


def _number(x: float) -> int | float:
    return int(x) if x.is_integer() else x


def color_style(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    if "themeColor" in value:
        return {"themeColor": value["themeColor"]}
    if "rgbColor" in value and value["rgbColor"] is not None:
        return {"rgbColor": color(value["rgbColor"])}
    return {}


def normalize(obj: Any) -> Any:
    """Walks a format (or sheet properties) and stores every color the Google way."""
    if isinstance(obj, list):
        return [normalize(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: normalize(v) for k, v in obj.items() if v is not None}
    for plain, style in _COLOR_TWINS.items():
        if plain in obj and obj[plain] is not None and style not in obj:
            out[plain] = color(obj[plain])
            out[style] = {"rgbColor": out[plain]}
        elif style in obj:
            styled = color_style(obj[style])
            if styled:
                out[style] = styled
                if "rgbColor" in styled:
                    out[plain] = styled["rgbColor"]
            else:
                out.pop(style, None)
                out.pop(plain, None)
    return out


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` laid on ``base``, objects merged key by key."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def grid_range(rng: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as echoed: bounds as given, ``sheetId`` only when not 0."""
    out = {
        k: rng[k]
        for k in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
        if rng.get(k) is not None
    }
    if rng.get("sheetId"):
        out = {"sheetId": rng["sheetId"], **out}
    return out


def drop_stale_twins(target: dict[str, Any], mask: dict[str, Any] | None) -> None:
    """Before a masked update, forgets the twin of each color the mask sets, so the new
    value (not the old twin) decides both."""
    if mask is None:
        return
    for key, sub in mask.items():
        for plain, style in _COLOR_TWINS.items():
            if key == plain:
                target.pop(style, None)
            elif key == style:
                target.pop(plain, None)
        inner = target.get(key)
        if isinstance(sub, dict) and isinstance(inner, dict):
            drop_stale_twins(inner, sub)
