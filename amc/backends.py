from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AmcBackend(ModelBackend):
    """ModelBackend that loads the user's entity with the user: every page shows it."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("entidad__nivel").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
