"""Encryption of router secrets with a key kept outside the database.

The key is a Fernet key (``Fernet.generate_key()``) given as the ``isp_fernet_key`` option
of odoo.conf or the ``ISP_FERNET_KEY`` environment variable: a database dump alone never
reveals a router password.
"""
import os

from cryptography.fernet import Fernet, InvalidToken

from odoo.tools import config

__all__ = ['InvalidToken', 'configured_key', 'decrypt', 'encrypt']


def configured_key():
    return config.get('isp_fernet_key') or os.environ.get('ISP_FERNET_KEY') or None


def _fernet():
    key = configured_key()
    if not key:
        return None
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(clear_text):
    """Return the token, or None when no key is configured."""
    box = _fernet()
    return box.encrypt(clear_text.encode()).decode() if box else None


def decrypt(token):
    """Return the clear text; raise ``InvalidToken`` for a wrong key and None when no key is configured."""
    box = _fernet()
    return box.decrypt(token.encode()).decode() if box else None
