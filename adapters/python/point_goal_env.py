"""PointGoal-v0 in Python, exactly as the HerTools spec (specs/goal-envs.md) gives it: a worked example of an
environment process. Train it with a config holding

    env:
      id: process
      command: [python3, point_goal_env.py]

or check it with `python3 point_goal_env.py --check`. Float32 arithmetic, as the built-in PointGoal-v0; only its
random generator differs (Python's), so episodes match the built-in one in distribution, not one by one.
"""

import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hertools_env import serve  # noqa: E402  (beside this file)

try:
    import numpy as _np
except ImportError:  # then the adapter hands batches over as lists, and they are computed row by row
    _np = None


_FLOAT32 = struct.Struct("<f")


def f32(x, _pack=_FLOAT32.pack, _unpack=_FLOAT32.unpack):
    """x rounded to float32, as the built-in environment computes."""
    return _unpack(_pack(x))[0]


# The spec's constants, as float32.
_0_1, _0_2, _0_8 = f32(0.1), f32(0.2), f32(0.8)


class Box:
    """A Gymnasium-like Box: what the adapter reads of a space is low and high."""

    def __init__(self, low, high):
        self.low, self.high = list(low), list(high)


class PointGoalEnv:
    """1D point-mass reaching: reach the goal position within 0.05."""

    distance_threshold = f32(0.05)

    def __init__(self, terminate_on_success=False, max_episode_steps=50):
        self.terminate_on_success = bool(terminate_on_success)
        self.max_episode_steps = int(max_episode_steps)
        self.id = "PointGoal-v0"
        self.observation_space = {
            "observation": Box([-1.0, -1.0], [1.0, 1.0]),
            "achieved_goal": Box([-1.0], [1.0]),
            "desired_goal": Box([-1.0], [1.0]),
        }
        self.action_space = Box([-1.0], [1.0])
        self._random = random.Random(0)
        self._x = self._v = self._g = 0.0
        self._t = 0

    def reset(self, seed=None):
        if seed is not None:
            self._random.seed(seed)
        self._x = f32(self._random.uniform(-1.0, 1.0))
        self._v = 0.0
        while True:  # the goal is drawn again until it is not already (nearly) reached
            self._g = f32(self._random.uniform(-1.0, 1.0))
            if abs(f32(self._x - self._g)) > _0_1:
                break
        self._t = 0
        return self._observation(), {}

    def step(self, action):
        a = min(max(f32(float(action[0])), -1.0), 1.0)
        self._v = min(max(f32(f32(_0_8 * self._v) + f32(_0_2 * a)), -1.0), 1.0)
        self._x = f32(self._x + f32(_0_1 * self._v))
        if abs(self._x) > 1.0:
            self._x = min(max(self._x, -1.0), 1.0)
            self._v = 0.0
        self._t += 1
        success = self._reached(self._x, self._g)
        return (self._observation(), 0.0 if success else -1.0, self.terminate_on_success and success,
                self._t >= self.max_episode_steps, {"is_success": 1.0 if success else 0.0})

    def compute_reward(self, achieved_goal, desired_goal, info):
        if _np is not None:
            return _np.where(self._reached_rows(achieved_goal, desired_goal), _np.float32(0.0), _np.float32(-1.0))
        return [0.0 if self._reached(a[0], d[0]) else -1.0 for a, d in zip(achieved_goal, desired_goal)]

    def compute_terminated(self, achieved_goal, desired_goal, info):
        if _np is not None:
            if not self.terminate_on_success:
                return _np.zeros(len(achieved_goal), dtype=bool)
            return self._reached_rows(achieved_goal, desired_goal)
        return [self.terminate_on_success and self._reached(a[0], d[0]) for a, d in zip(achieved_goal, desired_goal)]

    def get_state(self):
        return struct.pack("<fffi", self._x, self._v, self._g, self._t) + repr(self._random.getstate()).encode()

    def set_state(self, state):
        self._x, self._v, self._g, self._t = struct.unpack_from("<fffi", state, 0)
        self._random.setstate(eval(state[16:].decode()))  # our own repr of a tuple of ints

    def _reached(self, achieved, desired):
        return abs(f32(float(achieved) - float(desired))) <= self.distance_threshold

    def _reached_rows(self, achieved_goal, desired_goal):
        """_reached of every row at once, in the same float32 arithmetic: a float32 difference is the float32
        rounding of the exact one, as f32(a - d) is."""
        achieved = _np.asarray(achieved_goal, dtype=_np.float32)[..., 0]
        desired = _np.asarray(desired_goal, dtype=_np.float32)[..., 0]
        return _np.abs(achieved - desired) <= _np.float32(self.distance_threshold)

    def _observation(self):
        return {"observation": [self._x, self._v], "achieved_goal": [self._x], "desired_goal": [self._g]}


if __name__ == "__main__":
    serve(PointGoalEnv)
