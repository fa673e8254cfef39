"""BMC passwords at rest: encrypted with a per-install key, never shown.

The key (Fernet: AES-128-CBC with HMAC-SHA-256) lives in a 0600 file
named by ``[bmc] credential_key_file``, made on first use. The API only
ever writes a password; maintenance reads it back over sysinv-conductor's
RPC API to log in to the BMC.
"""

from cryptography import fernet

from stxcommon import exception
from stxcommon import keyfile


class CredentialsUnavailable(exception.StxError):
    code = 503
    message = 'BMC passwords cannot be stored or read: %(reason)s'


class Vault:
    def __init__(self, key_file):
        self.key_file = key_file
        self._fernet = None

    def _cipher(self):
        if self._fernet is None:
            self._fernet = fernet.Fernet(self._load_or_create_key())
        return self._fernet

    def _load_or_create_key(self):
        if not self.key_file:
            raise CredentialsUnavailable(
                reason='[bmc] credential_key_file is not set')
        try:
            return keyfile.load_or_create(self.key_file,
                                          fernet.Fernet.generate_key)
        except OSError as exc:
            raise CredentialsUnavailable(reason='cannot use %s: %s'
                                         % (self.key_file, exc.strerror))

    def encrypt(self, password):
        return self._cipher().encrypt(password.encode('utf-8')).decode()

    def decrypt(self, token):
        try:
            return self._cipher().decrypt(token.encode()).decode('utf-8')
        except fernet.InvalidToken:
            raise CredentialsUnavailable(
                reason='a stored password does not match the key in %s'
                % self.key_file)
