"""Who sees which background jobs, and who may run one again."""

from govsite.sections import roles


def oversees_jobs(user):
    """系统管理员 (and superusers) watch every job and the workers (三员: the system side)."""
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=roles.SYSTEM_ADMINS).exists()
    )


def may_see(user, job):
    return user.is_active and (oversees_jobs(user) or job.requested_by_id == user.pk)


def may_retry(user, job):
    return job.status == job.Status.FAILED and may_see(user, job)
