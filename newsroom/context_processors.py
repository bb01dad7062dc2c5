from django.conf import settings


def paper(request):
    return {"paper_title": settings.NEWSROOM_TITLE}
