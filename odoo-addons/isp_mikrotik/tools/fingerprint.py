import re

_SEPARATORS = re.compile(r'[\s:-]')
_HEX64 = re.compile(r'[0-9A-F]{64}')


def normalize_sha256_fingerprint(value):
    """``AA:BB:…`` (32 uppercase pairs) from a SHA-256 fingerprint in any common notation, or None.

    Accepts ``openssl x509 -fingerprint -sha256`` output (with or without its ``SHA256 Fingerprint=``
    prefix), bare hex, and colon, dash or space separated pairs.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    if '=' in text:
        text = text.rsplit('=', 1)[1]
    digits = _SEPARATORS.sub('', text)
    if not _HEX64.fullmatch(digits):
        return None
    return ':'.join(digits[i:i + 2] for i in range(0, 64, 2))
