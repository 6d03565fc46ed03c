"""Who sees which background jobs, who may open a job's result file, and who may run one
again."""

from govsite.sections import roles
from govsite.sections.rules import has_role


def oversees_jobs(user):
    """系统管理员 (and superusers) watch every job and the workers (三员: the system side)."""
    return user.is_active and (user.is_superuser or has_role(user, roles.SYSTEM_ADMINS))


def may_see(user, job):
    return user.is_active and (oversees_jobs(user) or job.requested_by_id == user.pk)


def may_retry(user, job):
    return job.status == job.Status.FAILED and may_see(user, job)


def may_download(user, job):
    """A job's result file is for whoever sees the job; a result restricted to a permission
    (``Job.result_permission``: an export of the audit log, which 三员分立 keeps from 系统管理员)
    is for its requester alone, and only while they still hold that permission."""
    if job.result_permission:
        return (
            user.is_active
            and job.requested_by_id == user.pk
            and user.has_perm(job.result_permission)
        )
    return may_see(user, job)
