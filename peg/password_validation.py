"""Password rules with Italian messages where Django's translation misses them.

Django 5.2 formats the minimum-length message with ``%d`` while its Italian catalogue
translates the older ``%(min_length)d`` text: the message stays in English. The same
rule, said in Italian.
"""

from django.contrib.auth.password_validation import MinimumLengthValidator


class LunghezzaMinima(MinimumLengthValidator):
    def get_error_message(self) -> str:
        n = self.min_length
        return f"Questa password è troppo corta: deve contenere almeno {n} caratter{'e' if n == 1 else 'i'}."

    def get_help_text(self) -> str:
        n = self.min_length
        return f"La password deve contenere almeno {n} caratter{'e' if n == 1 else 'i'}."
