from core.extensions import MenuGroup, MenuItem

MENU = [MenuGroup(key="sample", title="样例", order=95, items=[MenuItem("走访样例", "sample:list", "sample.view")])]
