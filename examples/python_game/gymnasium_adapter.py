"""A discrete-action Gymnasium environment as a muzero game (game.python).

Subclass GymnasiumGame and return the environment from make_env; for Gymnasium's CartPole:

    import gymnasium
    from gymnasium_adapter import GymnasiumGame

    class GymCartPole(GymnasiumGame):
        def make_env(self):
            return gymnasium.make("CartPole-v1")

and train it with `game.python: path/to/that_file.py:GymCartPole`. Anything with Gymnasium's
API works (reset(seed=...) -> (observation, info), step(action) -> (observation, reward,
terminated, truncated, info), observation_space.shape, action_space.n); gymnasium itself need
not be installed for that.
"""
import copy


def _flat(observation):
    values = []

    def walk(x):
        if hasattr(x, "tolist"):
            x = x.tolist()
        if isinstance(x, (list, tuple)):
            for item in x:
                walk(item)
        else:
            values.append(float(x))

    walk(observation)
    return values


class GymnasiumGame:
    num_players = 1

    def make_env(self):
        raise NotImplementedError("return the Gymnasium environment")

    def __init__(self):
        self.env = self.make_env()
        size = 1
        for extent in self.env.observation_space.shape:
            size *= int(extent)
        self.observation_shape = (1, 1, size)
        self.action_space_size = int(self.env.action_space.n)
        self.last = [0.0] * size

    def reset(self, seed):
        observation, _ = self.env.reset(seed=int(seed) % (2**32))
        self.last = _flat(observation)
        return self.last

    def step(self, action):
        observation, reward, terminated, truncated, _ = self.env.step(int(action))
        self.last = _flat(observation)
        # A time limit cuts the episode off: muzero bootstraps its value there (truncated).
        return self.last, float(reward), bool(terminated or truncated), bool(truncated and not terminated)

    def legal_actions(self):
        return list(range(self.action_space_size))

    def render(self):
        return " ".join(f"{v:.3f}" for v in self.last) + "\n"

    def clone(self):
        return copy.deepcopy(self)
