"""Files customers upload (transfer receipts, fault photos), judged by their content before
anything is stored."""
import io

from PIL import Image

from odoo.http import request
from odoo.tools.image import IMAGE_MAX_RESOLUTION

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class UploadRefused(Exception):
    """An upload the customer must replace; ``args[0]`` says why, in their language."""


def content_type(content):
    """``(mimetype, extension)`` of a PNG, JPEG, WebP or PDF file from its first bytes, or None.

    The file name and the browser's content type are the customer's word; the content is not.
    """
    if content.startswith(b'\x89PNG\r\n\x1a\n'):
        return 'image/png', 'png'
    if content.startswith(b'\xff\xd8\xff'):
        return 'image/jpeg', 'jpg'
    if content[:4] == b'RIFF' and content[8:12] == b'WEBP':
        return 'image/webp', 'webp'
    if content.startswith(b'%PDF-'):
        return 'application/pdf', 'pdf'
    return None


def image_problem(content, mimetype):
    """``'damaged'`` or ``'too large'`` for a PNG or JPEG that Odoo could not process, else None.

    Odoo decodes (and may shrink) every PNG and JPEG it stores, and a damaged one makes it fail
    with a server error; the image library raises nearly any exception type on one.
    """
    if mimetype not in ('image/png', 'image/jpeg'):
        return None
    try:
        with Image.open(io.BytesIO(content)) as img:
            width, height = img.size
            img.verify()
    except Image.DecompressionBombError:
        return 'too large'
    except Exception:  # noqa: BLE001 - whatever the parser raises, the file is unreadable
        return 'damaged'
    return 'too large' if width * height > IMAGE_MAX_RESOLUTION else None


def upload_name(filename, extension, default_stem):
    """The customer's file name, kept readable, with the extension of what the file really is."""
    stem = (filename or '').replace('\\', '/').rsplit('/', 1)[-1].rsplit('.', 1)[0].strip()
    stem = ''.join(ch for ch in stem if ch.isprintable())[:80] or default_stem
    return f'{stem}.{extension}'


def read_upload(upload, default_stem):
    """``(content, mimetype, filename)`` of a photo or PDF the customer chose, None when they
    chose no file (browsers still send an empty part); raises ``UploadRefused``."""
    if upload is None or isinstance(upload, str) or not upload.filename:
        return None
    _ = request.env._
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadRefused(_("The file is larger than 10 MiB: send a smaller photo or PDF."))
    if not content:
        raise UploadRefused(_("The file is empty."))
    kind = content_type(content)
    if not kind:
        raise UploadRefused(_("The file must be a PNG, JPEG or WebP image or a PDF file."))
    mimetype, extension = kind
    problem = image_problem(content, mimetype)
    if problem == 'damaged':
        raise UploadRefused(_("The image is damaged or unreadable: send it again or as a PDF."))
    if problem == 'too large':
        raise UploadRefused(_("The image is too large (over %s megapixels): send a smaller photo.",
                              int(IMAGE_MAX_RESOLUTION / 1e6)))
    return content, mimetype, upload_name(upload.filename, extension, default_stem)
