"""The catch game of examples/plugin_game, written in Python for muzero's game.python.

A ball falls down a 5 x 5 board from a random column, one row a move; the paddle on the bottom
row moves left, stays or moves right. Catching the ball pays 1, missing it -1.
"""
import random


class Catch:
    size = 5
    observation_shape = (2, 5, 5)
    action_space_size = 3
    num_players = 1

    def __init__(self):
        self.ball_row, self.ball_column, self.paddle = self.size - 1, 0, self.size // 2

    def reset(self, seed):
        self.ball_column = random.Random(seed).randrange(self.size)
        self.ball_row = 0
        self.paddle = self.size // 2
        return self.observation()

    def step(self, action):
        self.paddle = min(max(self.paddle + action - 1, 0), self.size - 1)
        self.ball_row += 1
        done = self.ball_row == self.size - 1
        reward = (1.0 if self.paddle == self.ball_column else -1.0) if done else 0.0
        return self.observation(), reward, done

    def observation(self):
        cells = [0.0] * (2 * self.size * self.size)
        cells[self.ball_row * self.size + self.ball_column] = 1.0
        cells[self.size * self.size + (self.size - 1) * self.size + self.paddle] = 1.0
        return cells

    def legal_actions(self):
        return [0, 1, 2]

    def to_play(self):
        return 0

    def render(self):
        rows = []
        for r in range(self.size):
            row = ""
            for c in range(self.size):
                ball = r == self.ball_row and c == self.ball_column
                paddle = r == self.size - 1 and c == self.paddle
                row += "@" if ball and paddle else "o" if ball else "=" if paddle else "."
            rows.append(row)
        return "\n".join(rows) + "\n"

    def action_to_string(self, action):
        return ["left", "stay", "right"][action]

    def action_from_string(self, text):
        names = {"l": 0, "left": 0, "s": 1, "stay": 1, "r": 2, "right": 2}
        return names.get(text)

    def expert_action(self):
        if self.paddle < self.ball_column:
            return 2
        if self.paddle > self.ball_column:
            return 0
        return 1
