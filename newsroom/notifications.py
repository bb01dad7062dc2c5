"""E-mail to a story's author when an editor sends it back or it is published.

Queued by the workflow service once the transition is committed (never from
signals or ``save()``) and sent by a background worker: a slow or broken mail
server never holds up or breaks the editor's request.
"""

import logging

from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

from .models import Transition

logger = logging.getLogger(__name__)

SUBJECTS = {
    "send_back": "稿件被退回修改：{headline}",
    "publish": "稿件已发布：{headline}",
    "schedule": "稿件已定时发布：{headline}",
}


def author_address(story):
    """The author's e-mail: their login's, else their correspondent record's, else the first credited person's."""
    user = story.created_by
    if user is not None:
        if user.email:
            return user.email
        correspondent = getattr(user, "correspondent", None)
        if correspondent is not None and correspondent.email:
            return correspondent.email
    for credit in story.credits.select_related("correspondent"):
        if credit.correspondent.email:
            return credit.correspondent.email
    return ""


def actor_name(user):
    """As a Chinese name is written: family name (``last_name``, 姓氏) first, no space; else the login."""
    return f"{user.last_name.strip()}{user.first_name.strip()}" or user.get_username()


@task
def notify_author(transition_id):
    step = Transition.objects.select_related("story__created_by", "actor").get(pk=transition_id)
    if step.action not in SUBJECTS:
        return 0
    story = step.story
    address = author_address(story)
    if not address:
        return 0
    lines = [f"您的稿件“{story.headline}”："]
    if step.action == "send_back":
        lines += ["已被编辑退回修改。", "", f"修改意见：{step.comment}"]
    elif step.action == "publish":
        lines += [f"已于 {timezone.localtime(story.published_at):%Y-%m-%d %H:%M} 发布。"]
    else:
        lines += [f"将于 {timezone.localtime(story.published_at):%Y-%m-%d %H:%M} 发布。"]
    if step.actor is not None:
        lines += ["", f"操作人：{actor_name(step.actor)}"]
    # A header cannot hold a line break (an imported headline may): the mail would not go at all.
    subject = SUBJECTS[step.action].format(headline=" ".join(story.headline.splitlines()))
    try:
        return send_mail(subject, "\n".join(lines), None, [address])
    except Exception:
        # The story has moved on already; a mail server that is down must not turn that into an error page.
        logger.exception("Could not send %r to %s", subject, address)
        return 0
