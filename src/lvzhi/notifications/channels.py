"""The ways a notification reaches its recipient.

A channel has one method, ``send(notification)``: it returns when the message is handed over and
raises when it is not (the delivery is retried, see ``services.notification_deliver``), or raises
``RecipientUnreachable`` when retrying cannot help (no e-mail address). Which channels are used is
the setting ``LVZHI_NOTIFICATION_CHANNELS`` (default in-app and e-mail).

SMS goes through a gateway adapter (``LVZHI_SMS_GATEWAY``, a dotted path to a ``SmsGateway``
class): congresses contract different SMS providers, so the default only logs.
"""

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection, send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lvzhi.core.text import mask_phone

from .choices import Channel as ChannelName
from .models import Notification

logger = logging.getLogger(__name__)


class RecipientUnreachable(Exception):
    """The recipient has no address on this channel: the delivery fails at once, without retries."""


class Channel:
    """What every channel implements."""

    name: str

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


class InAppChannel(Channel):
    """The ``Notification`` row is the in-app message: nothing more to hand over."""

    name = ChannelName.IN_APP

    def send(self, notification: Notification) -> None:
        return None


def absolute_link(link: str) -> str:
    """``link`` with the site's address in front when it is a path (for e-mail and SMS)."""
    site = settings.LVZHI_NOTIFICATION_SITE_URL
    if link.startswith("/") and site:
        return urljoin(site, link)
    return link


def _email_connection():
    options = {}
    if settings.LVZHI_NOTIFICATION_EMAIL_FILE_PATH:
        options["file_path"] = settings.LVZHI_NOTIFICATION_EMAIL_FILE_PATH
    return get_connection(settings.LVZHI_NOTIFICATION_EMAIL_BACKEND or None, **options)


class EmailChannel(Channel):
    """Django's ``send_mail`` to the user's e-mail address.

    ``LVZHI_NOTIFICATION_EMAIL_BACKEND`` overrides Django's ``EMAIL_BACKEND`` for these mails only
    (empty: Django's), ``LVZHI_NOTIFICATION_EMAIL_FILE_PATH`` the file-based backend's folder: the
    Celery acceptance test has its worker process write the mails there.
    """

    name = ChannelName.EMAIL

    def send(self, notification: Notification) -> None:
        address = notification.recipient.email
        if not address:
            raise RecipientUnreachable(_("接收人没有电子邮箱地址。"))
        lines = [notification.body] if notification.body else []
        if notification.link:
            lines.append(_("查看详情：{link}").format(link=absolute_link(notification.link)))
        lines.append(_("—— 履职 · 代表工作平台（本邮件由系统自动发送，请勿回复）"))
        send_mail(
            subject=settings.LVZHI_NOTIFICATION_EMAIL_SUBJECT_PREFIX + notification.title,
            message="\n\n".join(lines),
            from_email=None,
            recipient_list=[address],
            connection=_email_connection(),
        )


class SmsGateway:
    """The adapter to an SMS provider: send ``text`` to ``phone`` or raise."""

    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsGateway(SmsGateway):
    """The default gateway: writes the message to the log (phone masked) and sends nothing."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s (not sent: logging gateway): %s", mask_phone(phone), text)


class SmsChannel(Channel):
    """A short text to the user's mobile phone, through the configured ``SmsGateway``."""

    name = ChannelName.SMS

    def __init__(self, gateway: SmsGateway | None = None):
        self.gateway = gateway or import_string(settings.LVZHI_SMS_GATEWAY)()

    def send(self, notification: Notification) -> None:
        phone = notification.recipient.phone
        if not phone:
            raise RecipientUnreachable(_("接收人没有手机号码。"))
        self.gateway.send(phone=phone, text=_("【履职】{title}").format(title=notification.title))


CHANNELS: dict[str, type[Channel]] = {
    ChannelName.IN_APP: InAppChannel,
    ChannelName.EMAIL: EmailChannel,
    ChannelName.SMS: SmsChannel,
}


def enabled_channels() -> list[str]:
    """The channel names of ``LVZHI_NOTIFICATION_CHANNELS``, checked."""
    names = list(dict.fromkeys(settings.LVZHI_NOTIFICATION_CHANNELS))
    unknown = [name for name in names if name not in CHANNELS]
    if unknown:
        raise ImproperlyConfigured(
            f"LVZHI_NOTIFICATION_CHANNELS: unknown channels {unknown}; known: {list(CHANNELS)}"
        )
    return names


def channel_get(name: str) -> Channel:
    return CHANNELS[name]()
