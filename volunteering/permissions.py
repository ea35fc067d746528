from core.extensions import AppPermissions

PERMISSIONS = AppPermissions(roles={})
