"""Stable-Baselines3's training speed on the spec's goal environments, for the side-by-side with `train-speed`.

Trains SB3 2.3.2's DDPG, TD3 or SAC with its HerReplayBuffer (n_sampled_goal 4, future) on Push2D-v0 or
PointGoal-v0, written here in Python exactly as /shared/specs/goal-envs.md specifies (float32), at the settings of
issue 17: MultiInputPolicy, net_arch [256, 256], batch 256, learning rate 1e-3, gamma 0.95, tau 0.05,
learning_starts 1,000, train_freq 1, gradient_steps 1, one torch thread, Gaussian noise 0.2 for DDPG and TD3.

It prints `sb3_<learner>_env_steps_per_s=<value>`: environment steps per second over the `--steps` steps that
follow learning_starts (each one environment step plus one gradient step), the same window that
`dotnet run -c Release --project bench/HerTools.Bench -- train-speed` measures for ours.

Run it through bench/sb3/setup.sh's environment (see bench/sb3/README.md):
    . /work/sb3env/env.sh && python3 bench/sb3/train_speed.py --learner sac --env push2d
"""

import argparse
import time
import warnings

import gymnasium as gym
import numpy as np
import torch
from gymnasium import spaces

F32 = np.float32


def _norm(d):
    # sqrt of the summed squares, each operation rounded to float32 in the spec's order (np.linalg.norm may
    # use a fused or reordered dot product, which can differ in the last bit).
    d = np.asarray(d, F32)
    total = d[..., 0] * d[..., 0]
    for i in range(1, d.shape[-1]):
        total = total + d[..., i] * d[..., i]
    return np.sqrt(total).astype(F32)


def _distance(achieved_goal, desired_goal):
    return _norm(np.asarray(achieved_goal, F32) - np.asarray(desired_goal, F32))


class _GoalEnv(gym.Env):
    """What both spec environments share: the pure reward, termination and truncation on one pair or a batch."""

    distance_threshold = F32(0.05)
    max_episode_steps = 50

    def __init__(self, terminate_on_success=False):
        self.terminate_on_success = terminate_on_success
        self._t = 0

    def compute_reward(self, achieved_goal, desired_goal, info):
        return np.where(_distance(achieved_goal, desired_goal) <= self.distance_threshold, F32(0), F32(-1)).astype(F32)

    def compute_terminated(self, achieved_goal, desired_goal, info):
        return self.terminate_on_success & (_distance(achieved_goal, desired_goal) <= self.distance_threshold)

    def compute_truncated(self, achieved_goal, desired_goal, info):
        return self._t >= self.max_episode_steps

    def _dict_space(self, observation_size, goal_size):
        def box(n):
            return spaces.Box(-np.inf, np.inf, shape=(n,), dtype=F32)

        return spaces.Dict({"observation": box(observation_size), "achieved_goal": box(goal_size), "desired_goal": box(goal_size)})

    def _step_result(self):
        obs = self._obs()
        success = bool(_distance(obs["achieved_goal"], obs["desired_goal"]) <= self.distance_threshold)
        info = {"is_success": 1.0 if success else 0.0}
        reward = float(self.compute_reward(obs["achieved_goal"], obs["desired_goal"], info))
        terminated = bool(self.compute_terminated(obs["achieved_goal"], obs["desired_goal"], info))
        truncated = bool(self.compute_truncated(obs["achieved_goal"], obs["desired_goal"], info))
        return obs, reward, terminated, truncated, info


class Push2DEnv(_GoalEnv):
    """Push2D-v0: a pusher disc shoves a puck quasi-statically onto a goal on the table [-1, 1]^2."""

    rp, rb = F32(0.05), F32(0.08)

    def __init__(self, terminate_on_success=False):
        super().__init__(terminate_on_success)
        self.action_space = spaces.Box(-1, 1, shape=(2,), dtype=F32)
        self.observation_space = self._dict_space(6, 2)
        self.p = self.b = self.g = np.zeros(2, F32)

    def _uniform(self, bound):
        return self.np_random.uniform(-bound, bound, size=2).astype(F32)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        # The spec's order: puck, then goal (redrawn until over 0.1 from the puck), then pusher (clear of the puck).
        self.b = self._uniform(0.5)
        self.g = self._uniform(0.5)
        while _norm(self.g - self.b) <= F32(0.1):
            self.g = self._uniform(0.5)
        self.p = self._uniform(0.8)
        while _norm(self.p - self.b) <= self.rp + self.rb + F32(0.05):
            self.p = self._uniform(0.8)
        self._t = 0
        return self._obs(), {}

    def step(self, action):
        a = np.clip(np.asarray(action, F32), F32(-1), F32(1))
        contact = self.rp + self.rb
        for _ in range(5):
            self.p = np.clip(self.p + F32(0.02) * a, F32(-1) + self.rp, F32(1) - self.rp).astype(F32)
            d = (self.b - self.p).astype(F32)
            dist = _norm(d)
            if dist < contact:
                n = d / dist if dist > F32(1e-6) else np.array([1, 0], F32)
                self.b = np.clip(self.p + contact * n, F32(-1) + self.rb, F32(1) - self.rb).astype(F32)
        self._t += 1
        return self._step_result()

    def _obs(self):
        return {"observation": np.concatenate([self.p, self.b, self.b - self.p]).astype(F32),
                "achieved_goal": self.b.copy(), "desired_goal": self.g.copy()}


class PointGoalEnv(_GoalEnv):
    """PointGoal-v0: a 1D point mass reaching a goal position."""

    def __init__(self, terminate_on_success=False):
        super().__init__(terminate_on_success)
        self.action_space = spaces.Box(-1, 1, shape=(1,), dtype=F32)
        self.observation_space = self._dict_space(2, 1)
        self.x = self.v = self.g = F32(0)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.x, self.v = F32(self.np_random.uniform(-1, 1)), F32(0)
        self.g = F32(self.np_random.uniform(-1, 1))
        while abs(self.x - self.g) <= F32(0.1):
            self.g = F32(self.np_random.uniform(-1, 1))
        self._t = 0
        return self._obs(), {}

    def step(self, action):
        a = F32(np.clip(np.asarray(action, F32)[0], F32(-1), F32(1)))
        self.v = F32(np.clip(F32(0.8) * self.v + F32(0.2) * a, F32(-1), F32(1)))
        self.x = F32(self.x + F32(0.1) * self.v)
        if abs(self.x) > F32(1):
            self.x, self.v = F32(np.clip(self.x, F32(-1), F32(1))), F32(0)
        self._t += 1
        return self._step_result()

    def _obs(self):
        return {"observation": np.array([self.x, self.v], F32), "achieved_goal": np.array([self.x], F32),
                "desired_goal": np.array([self.g], F32)}


ENVS = {"push2d": Push2DEnv, "point_goal": PointGoalEnv}


def make_model(learner, env, args):
    from stable_baselines3 import DDPG, SAC, TD3, HerReplayBuffer
    from stable_baselines3.common.noise import NormalActionNoise

    kwargs = dict(
        replay_buffer_class=HerReplayBuffer,
        replay_buffer_kwargs=dict(n_sampled_goal=4, goal_selection_strategy="future"),
        policy_kwargs=dict(net_arch=[args.hidden, args.hidden]),
        buffer_size=args.buffer_size, batch_size=args.batch, learning_rate=1e-3, gamma=0.95, tau=0.05,
        learning_starts=args.learning_starts, train_freq=1, gradient_steps=1, seed=args.seed, device="cpu", verbose=0,
    )
    n_actions = env.action_space.shape[0]
    noise = NormalActionNoise(mean=np.zeros(n_actions), sigma=0.2 * np.ones(n_actions))
    if learner == "ddpg":
        return DDPG("MultiInputPolicy", env, action_noise=noise, **kwargs)
    if learner == "td3":
        return TD3("MultiInputPolicy", env, action_noise=noise, **kwargs)
    return SAC("MultiInputPolicy", env, **kwargs)  # SAC explores by sampling its policy, as ours does


def steps_per_second(learner, args):
    """Environment steps per second from learning_starts to learning_starts + steps, timed by a callback."""
    from stable_baselines3.common.callbacks import BaseCallback

    class WindowClock(BaseCallback):
        def __init__(self, start):
            super().__init__()
            self.start, self.marks = start, []

        def _on_step(self):
            # Called after each environment step, before that step's gradient step: the window holds `steps`
            # environment steps and `steps` gradient steps.
            if self.num_timesteps == self.start or self.num_timesteps == self.start + args.steps:
                self.marks.append((self.num_timesteps, time.perf_counter()))
            return True

    env = ENVS[args.env]()
    model = make_model(learner, env, args)
    clock = WindowClock(args.learning_starts)
    model.learn(total_timesteps=args.learning_starts + args.steps + 1, callback=clock)
    (first_steps, first_time), (last_steps, last_time) = clock.marks
    return (last_steps - first_steps) / (last_time - first_time)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learner", choices=["ddpg", "td3", "sac", "all"], default="all")
    parser.add_argument("--env", choices=sorted(ENVS), default="push2d")
    parser.add_argument("--steps", type=int, default=2000, help="timed environment steps after learning_starts")
    parser.add_argument("--learning-starts", type=int, default=1000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--buffer-size", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name in ("steps", "learning_starts", "hidden", "batch", "buffer_size", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be positive, got {getattr(args, name)}")
    if args.learning_starts < args.batch:
        parser.error(f"--learning-starts ({args.learning_starts}) must be at least --batch ({args.batch})")

    torch.set_num_threads(args.threads)
    # SB3's HerReplayBuffer reaches compute_reward through the Monitor wrapper, which Gymnasium 0.29 warns about once.
    warnings.filterwarnings("ignore", message=".*compute_reward to get variables from other wrappers.*")
    for learner in ["ddpg", "td3", "sac"] if args.learner == "all" else [args.learner]:
        print(f"sb3_{learner}_env_steps_per_s={steps_per_second(learner, args):.3f}", flush=True)
    print(f"sb3_threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
