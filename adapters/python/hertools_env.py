"""Serve a goal environment to HerTools over stdin/stdout (the environment-process protocol).

Wrap any object with Gymnasium-Robotics-style methods and run the script from a HerTools config::

    env:
      id: process
      command: [python3, my_env.py]

where my_env.py ends with::

    from hertools_env import serve
    serve(MyEnv)          # a class or factory called with the env.* options, or an instance

The object needs:
  reset(seed=None) -> (obs, info)   obs a dict with observation, achieved_goal, desired_goal
  step(action) -> (obs, reward, terminated, truncated, info)   info may hold is_success
  compute_reward(achieved_goal, desired_goal, info) -> rewards, batched (one row per pair)
  observation_space["observation" | "achieved_goal" | "desired_goal"] and action_space with .low and .high
    (Gymnasium Box objects, or anything with low/high sequences)
  max_episode_steps (or spec.max_episode_steps, or _max_episode_steps)
and optionally compute_terminated(achieved_goal, desired_goal, info) batched, and get_state() -> bytes with
set_state(bytes) for an exact resume.

Only the standard library is needed; with NumPy installed, batches are handed over as float32 arrays of shape
(n, goal_size) and vectors as float32 arrays, otherwise as lists. `python3 my_env.py --check` plays a few episodes
and checks the object against the contract instead of serving. docs/process-env-protocol.md has every byte.
"""

import random
import struct
import sys

try:
    import numpy as _np
except ImportError:  # the adapter works without NumPy: lists then
    _np = None

PROTOCOL_VERSION = 1
HELLO, RESET, STEP, COMPUTE, GET_STATE, SET_STATE, CLOSE = 1, 2, 3, 4, 5, 6, 7
SPACES, OBSERVATION, STEP_RESULT, COMPUTED, STATE, OK, ERROR = 129, 130, 131, 132, 133, 134, 255
COMPUTES_TERMINATED, SAVES_STATE = 1, 2

# Every step goes through the functions below: their structs are compiled once (a step is a few microseconds of
# Python, and the protocol must not double it).
_HEADER = struct.Struct("<IB")
_STEP_TAIL = struct.Struct("<fBBB")
_FLOAT32S = {}


# ---- values between the protocol and the environment ------------------------------------------------------

def _flat(values):
    """A vector (list, tuple, NumPy array, scalar) as a list of Python floats."""
    if _np is not None:
        return _np.asarray(values, dtype=_np.float32).reshape(-1).tolist()
    if isinstance(values, (int, float)):
        return [float(values)]
    out = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flat(v))
        else:
            out.append(float(v))
    return out


def _vector(floats):
    return _np.asarray(floats, dtype=_np.float32) if _np is not None else list(floats)


def _rows(floats, n, width):
    if _np is not None:
        return _np.asarray(floats, dtype=_np.float32).reshape(n, width)
    return [list(floats[i * width:(i + 1) * width]) for i in range(n)]


def _pack_floats(values):
    if _np is not None:
        return _np.asarray(values, dtype="<f4").reshape(-1).tobytes()
    flat = _flat(values)
    return struct.pack("<%df" % len(flat), *flat)


# A compute request is the hot message (one per gradient step, hundreds of rows): its batches are read, checked and
# written whole, by NumPy when it is there, never row by row in Python.

def _goal_rows(body, n, width):
    """The achieved and desired goals of a compute body (after its u32 n): float32 arrays of shape (n, width) with
    NumPy (writable copies: the environment may compute in place), lists of n rows otherwise."""
    count = n * width
    if _np is not None:
        floats = _np.frombuffer(body, dtype="<f4", count=2 * count, offset=4).astype(_np.float32)
        return floats[:count].reshape(n, width), floats[count:].reshape(n, width)
    floats = _float32_struct(2 * count).unpack_from(body, 4)
    return ([list(floats[i:i + width]) for i in range(0, count, width)],
            [list(floats[i:i + width]) for i in range(count, 2 * count, width)])


def _batch_values(values, n, what):
    """A batched result (rewards or flags) as n float32 values: a NumPy array, or a list without NumPy."""
    flat = _np.asarray(values, dtype="<f4").reshape(-1) if _np is not None else _flat(values)
    if len(flat) != n:
        raise ValueError("%s returned %d values for %d rows" % (what, len(flat), n))
    return flat


def _batch_bytes(values):
    if _np is not None:
        return values.tobytes()
    return _float32_struct(len(values)).pack(*values)


def _batch_flags(values):
    """One byte a flag, 1 for a true (non-zero) value."""
    if _np is not None:
        return (values != 0).tobytes()  # a NumPy bool is one byte, 0 or 1
    return bytes([1 if v else 0 for v in values])


def _float32_struct(n):
    packer = _FLOAT32S.get(n)
    if packer is None:
        packer = _FLOAT32S[n] = struct.Struct("<%df" % n)
    return packer


def _vector_bytes(values):
    """One vector as float32 little-endian bytes: a NumPy array, a flat list or tuple of numbers, or a number."""
    if _np is not None and isinstance(values, _np.ndarray):
        return values.astype("<f4", copy=False).tobytes()
    if isinstance(values, (list, tuple)):
        try:
            return _float32_struct(len(values)).pack(*values)
        except struct.error:  # nested, or not numbers: the general path says what is wrong
            pass
    elif isinstance(values, (int, float)):
        return _float32_struct(1).pack(values)
    return _pack_floats(values)


def _action(body):
    """A step's action from its float32 bytes: a float32 array with NumPy, a list otherwise."""
    if _np is not None:
        return _np.frombuffer(body, dtype="<f4").astype(_np.float32)
    return list(_float32_struct(len(body) // 4).unpack(body))


def _string(text):
    data = text.encode("utf-8")
    return struct.pack("<I", len(data)) + data


def _max_episode_steps(env):
    for name in ("max_episode_steps", "_max_episode_steps"):
        value = getattr(env, name, None)
        if value:
            return int(value)
    spec = getattr(env, "spec", None)
    if spec is not None and getattr(spec, "max_episode_steps", None):
        return int(spec.max_episode_steps)
    raise ValueError("the environment has no max_episode_steps (nor spec.max_episode_steps)")


def _box(space):
    low, high = _flat(space.low), _flat(space.high)
    if len(low) != len(high):
        raise ValueError("a space has %d low and %d high values" % (len(low), len(high)))
    return struct.pack("<I", len(low)) + struct.pack("<%df" % len(low), *low) + struct.pack("<%df" % len(high), *high)


def _observation_bytes(obs):
    return b"".join((_vector_bytes(obs["observation"]), _vector_bytes(obs["achieved_goal"]), _vector_bytes(obs["desired_goal"])))


def _is_success(info):
    value = info.get("is_success", 0.0) if isinstance(info, dict) else 0.0
    return 1 if float(value) > 0.5 else 0


def _make(target, options):
    """An instance: target itself when it already is an environment, otherwise target(**options)."""
    if hasattr(target, "reset") and hasattr(target, "step") and not isinstance(target, type):
        if options:
            raise ValueError("options %s were given but the environment is an instance; serve a class or factory to take them" % sorted(options))
        return target
    return target(**{key: _option(value) for key, value in options.items()})


def _option(text):
    """An option as HerTools sends it (text) read back as bool, int, float or str."""
    if text in ("true", "false"):
        return text == "true"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


# ---- the server ------------------------------------------------------------------------------------------

class _Server:
    def __init__(self, target, stdin, stdout):
        self.target, self.stdin, self.stdout = target, stdin, stdout
        self.env = None
        self.goal_size = 0

    def read_exactly(self, n):
        data = self.stdin.read(n)  # a buffered pipe reads until n bytes or the end: one call, nearly always
        if len(data) == n:
            return data
        while len(data) < n:
            chunk = self.stdin.read(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def send(self, kind, body=b""):
        self.stdout.write(_HEADER.pack(len(body) + 1, kind) + body)
        self.stdout.flush()

    def run(self):
        while True:
            header = self.read_exactly(4)
            if header is None:
                return 0  # the host went away: end quietly
            (length,) = struct.unpack("<I", header)
            payload = self.read_exactly(length)
            if payload is None or length < 1:
                return 0
            kind, body = payload[0], payload[1:]
            if kind == CLOSE:
                return 0
            try:
                self.handle(kind, body)
            except Exception as error:  # reported to the host, which stops the run with it
                import traceback
                traceback.print_exc(file=sys.stderr)
                self.send(ERROR, _string("%s: %s" % (type(error).__name__, error)))

    def handle(self, kind, body):
        if kind == HELLO:
            version, count = struct.unpack_from("<II", body, 0)
            if version != PROTOCOL_VERSION:
                raise ValueError("HerTools speaks protocol %d, this adapter %d" % (version, PROTOCOL_VERSION))
            offset, options = 8, {}
            for _ in range(count):
                key, offset = _read_string(body, offset)
                value, offset = _read_string(body, offset)
                options[key] = value
            self.env = _make(self.target, options)
            env = self.env
            space = env.observation_space
            self.goal_size = len(_flat(space["desired_goal"].low))
            flags = (COMPUTES_TERMINATED if hasattr(env, "compute_terminated") else 0) | \
                    (SAVES_STATE if hasattr(env, "get_state") and hasattr(env, "set_state") else 0)
            env_id = getattr(getattr(env, "spec", None), "id", None) or getattr(env, "id", None) or type(env).__name__
            self.send(SPACES, struct.pack("<I", PROTOCOL_VERSION) + _string(str(env_id)) + struct.pack("<IB", _max_episode_steps(env), flags)
                      + _box(space["observation"]) + _box(space["achieved_goal"]) + _box(space["desired_goal"]) + _box(env.action_space))
        elif kind == RESET:
            has_seed, seed = struct.unpack_from("<BQ", body, 0)
            obs, _ = self.env.reset(seed=seed if has_seed else None)
            self.send(OBSERVATION, _observation_bytes(obs))
        elif kind == STEP:
            obs, reward, terminated, truncated, info = self.env.step(_action(body))
            self.send(STEP_RESULT, _observation_bytes(obs) + _STEP_TAIL.pack(float(reward), 1 if terminated else 0,
                                                                             1 if truncated else 0, _is_success(info)))
        elif kind == COMPUTE:
            (n,) = struct.unpack_from("<I", body, 0)
            achieved, desired = _goal_rows(body, n, self.goal_size)
            env = self.env
            rewards = _batch_values(env.compute_reward(achieved, desired, {}), n, "compute_reward")
            if hasattr(env, "compute_terminated"):
                terminated = _batch_flags(_batch_values(env.compute_terminated(achieved, desired, {}), n, "compute_terminated"))
            else:
                terminated = bytes(n)
            self.send(COMPUTED, _batch_bytes(rewards) + terminated)
        elif kind == GET_STATE:
            state = bytes(self.env.get_state())
            self.send(STATE, struct.pack("<I", len(state)) + state)
        elif kind == SET_STATE:
            (length,) = struct.unpack_from("<I", body, 0)
            self.env.set_state(bytes(body[4:4 + length]))
            self.send(OK)
        else:
            raise ValueError("unknown message type %d" % kind)


def _read_string(body, offset):
    (length,) = struct.unpack_from("<I", body, offset)
    start = offset + 4
    return bytes(body[start:start + length]).decode("utf-8"), start + length


# ---- the check -------------------------------------------------------------------------------------------

def check(target, episodes=5, seed=0, options=None):
    """Plays random episodes and returns a list of problems (empty when the environment keeps the contract)."""
    env = _make(target, options or {})
    problems = []
    rng = random.Random(seed)
    space = env.observation_space
    sizes = {key: len(_flat(space[key].low)) for key in ("observation", "achieved_goal", "desired_goal")}
    low, high = _flat(env.action_space.low), _flat(env.action_space.high)
    limit = _max_episode_steps(env)
    achieved_rows, desired_rows, step_rewards = [], [], []
    for episode in range(1, episodes + 1):
        obs, _ = env.reset(seed=seed + episode - 1)
        for key, size in sizes.items():
            if len(_flat(obs[key])) != size:
                problems.append("reset of episode %d: %s has %d values, its space %d" % (episode, key, len(_flat(obs[key])), size))
        for step in range(1, limit + 1):
            action = [rng.uniform(a, b) for a, b in zip(low, high)]
            obs, reward, terminated, truncated, info = env.step(_vector(action))
            one = _flat(env.compute_reward(_rows(_flat(obs["achieved_goal"]), 1, sizes["desired_goal"]),
                                           _rows(_flat(obs["desired_goal"]), 1, sizes["desired_goal"]), {}))
            if len(one) != 1 or one[0] != float(reward):
                problems.append("step %d of episode %d: reward %s but compute_reward gives %s" % (step, episode, reward, one))
            if _is_success(info) != (1 if float(reward) == 0.0 else 0):
                problems.append("step %d of episode %d: is_success %s but reward %s" % (step, episode, info.get("is_success"), reward))
            achieved_rows.append(_flat(obs["achieved_goal"]))
            desired_rows.append(_flat(obs["desired_goal"]))
            step_rewards.append(float(reward))
            if terminated or truncated:
                if truncated and step < limit:
                    problems.append("step %d of episode %d: truncated before max_episode_steps %d" % (step, episode, limit))
                break
        else:
            problems.append("episode %d: neither terminated nor truncated at max_episode_steps %d" % (episode, limit))
    n, width = len(step_rewards), sizes["desired_goal"]
    batch = _flat(env.compute_reward(_rows([v for row in achieved_rows for v in row], n, width),
                                     _rows([v for row in desired_rows for v in row], n, width), {}))
    wrong = [i for i in range(n) if i >= len(batch) or batch[i] != step_rewards[i]]
    if wrong:
        problems.append("the batched compute_reward of all %d steps differs from the step rewards in %d rows" % (n, len(wrong)))
    if hasattr(env, "get_state") and hasattr(env, "set_state"):
        env.reset(seed=seed)
        state = env.get_state()
        action = _vector([rng.uniform(a, b) for a, b in zip(low, high)])
        first = _observation_bytes(env.step(action)[0])
        env.set_state(state)
        if _observation_bytes(env.step(action)[0]) != first:
            problems.append("after set_state(get_state()) the same action gives another observation")
    return problems


def serve(target, argv=None):
    """Serves target (an environment, or a class or factory taking the env.* options) to HerTools, or with --check
    checks it and prints what is wrong. Never returns: exits with 0, or with 1 when --check found problems."""
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        problems = check(target)
        for problem in problems:
            print(problem)
        print("passed" if not problems else "%d problem%s" % (len(problems), "" if len(problems) == 1 else "s"))
        sys.exit(1 if problems else 0)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything the environment prints goes to stderr: stdout carries only protocol frames.
    sys.stdout = sys.stderr
    sys.exit(_Server(target, stdin, stdout).run())
