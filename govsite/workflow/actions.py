def publish_approved(workflow_state, user=None):
    """R-FLOW-2: the last approval publishes, or schedules for its 定时发布 time.

    The approver need not hold a raw publish permission anywhere (nobody does on content):
    the chain's approvals are the permission. ``WAGTAIL_FINISH_WORKFLOW_ACTION`` points here.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
    return revision
