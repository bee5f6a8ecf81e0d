"""The mutation report's own tools: decorators lifted without changing the module, and the
interval of a sampled score."""
from bench.mutation import interval, lift_decorators

MODULE = '''import functools
calls = []


def tag(name):
    def wrap(function):
        @functools.wraps(function)
        def inner(*args):
            calls.append(name)
            return function(*args)
        return inner
    return wrap


@tag("outer")
@tag(
    "inner",
)
def double(x):
    return 2 * x


class Kept:
    @staticmethod
    def method():
        return 1


@tag("last")
async def at_the_end():
    return 3'''


def run(source):
    namespace = {}
    exec(compile(source, "module", "exec"), namespace)
    return namespace


def test_lifted_decorators_wrap_in_the_same_order_and_leave_no_decorated_function():
    lifted = lift_decorators(MODULE)
    assert "@tag" not in lifted and "@staticmethod" in lifted  # top-level functions only
    assert 'double = (tag("outer"))((tag(\n    "inner",\n))(double))' in lifted
    assert lifted.endswith('at_the_end = (tag("last"))(at_the_end)\n')
    before, after = run(MODULE), run(lifted)
    assert before["double"](4) == after["double"](4) == 8
    assert before["calls"] == after["calls"] == ["outer", "inner"]
    assert after["double"].__name__ == "double" and after["Kept"].method() == 1


def test_the_interval_of_a_sampled_score_is_wilsons():
    assert interval(75, 80) == "86-97 %"
    assert interval(53, 80) == "55-76 %"
    assert interval(80, 80) == "95-100 %"
    assert interval(0, 10) == "0-28 %"
