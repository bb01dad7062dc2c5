"""The shape of the code: no import circles, status rules in one place, Django's internals in one package.

Read from the source, so that a change that breaks the layout fails here, where it is made.
"""

import ast
from pathlib import Path

import newsroom

PACKAGE = Path(newsroom.__file__).parent
STATUS_WORDS = {"draft", "submitted", "approved", "published", "withdrawn", "scheduled"}
# Django's public attributes that begin with an underscore.
PUBLIC_UNDERSCORED = {"_meta", "_default_manager", "_base_manager"}


def modules():
    """{module name: parsed source} for every module of the package but its migrations."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        name = ".".join(relative.parts).removesuffix(".__init__")
        found[name] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def imported(name, path, tree, known):
    """The package's modules that ``name`` imports, at the top or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for target in targets if target in known and target != name}


def circles(graph):
    """Each group of modules that import one another, directly or through others."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


def test_no_module_imports_one_that_imports_it_back():
    found = modules()
    graph = {name: imported(name, path, tree, found) for name, (path, tree) in found.items()}

    assert graph["newsroom.models"] >= {"newsroom.querysets"}  # the check sees the imports it should
    assert circles(graph) == []


def test_circles_are_found_through_other_modules_and_inside_functions():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    source = "def later():\n    from newsroom import cache\n"
    known = {"newsroom.cache": None, "newsroom.views": None}

    assert circles(graph) == [["a", "b", "c"]]
    assert imported("newsroom.views", Path("views.py"), ast.parse(source), known) == {"newsroom.cache"}


def test_status_words_are_written_only_in_the_models_and_the_reads():
    places = [
        f"{name}:{node.lineno} {node.value!r}"
        for name, (_, tree) in modules().items()
        if name not in ("newsroom.models", "newsroom.querysets")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in STATUS_WORDS
    ]

    assert places == []


def test_djangos_private_api_is_used_in_the_speed_package_alone():
    places = [
        f"{name}:{node.lineno} {node.attr}"
        for name, (_, tree) in modules().items()
        if not name.startswith("newsroom.speed")
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and node.attr not in PUBLIC_UNDERSCORED
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]
    private_names = {"ModelIterable", "set_cached_value"}
    places += [
        f"{name}:{node.lineno} {node.id if isinstance(node, ast.Name) else node.attr}"
        for name, (_, tree) in modules().items()
        if not name.startswith("newsroom.speed")
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id in private_names)
        or (isinstance(node, ast.Attribute) and node.attr in private_names)
    ]

    assert places == []
