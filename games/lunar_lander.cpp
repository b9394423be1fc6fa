#include "games/lunar_lander.h"

#include <box2d/box2d.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace muzero {
namespace {

// The classic environment's constants: pixels are converted to metres by kScale.
constexpr double kFps = 50.0;
constexpr double kScale = 30.0;
constexpr double kMainEnginePower = 13.0;
constexpr double kSideEnginePower = 0.6;
constexpr double kInitialRandom = 1000.0;
constexpr double kLegAway = 20.0, kLegDown = 18.0, kLegWidth = 2.0, kLegHeight = 8.0;
constexpr double kLegSpringTorque = 40.0;
constexpr double kSideEngineHeight = 14.0, kSideEngineAway = 12.0;
constexpr double kMainEngineOffset = 4.0;  // below the body's origin
constexpr double kWidth = 600.0 / kScale, kHeight = 400.0 / kScale;
constexpr int kChunks = 11;
constexpr double kPadY = kHeight / 4.0;
constexpr std::array<std::array<double, 2>, 6> kHull{
    {{-14, +17}, {-17, 0}, {-17, -10}, {+17, -10}, {+17, 0}, {+14, +17}}};
constexpr std::uint16_t kGround = 0x0001, kLanderBits = 0x0010, kLegBits = 0x0020;

// Uniform on [low, high) from 53 random bits: the same on every platform.
double uniform(std::mt19937_64& rng, double low, double high) {
  return low + (high - low) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// The impulses a revolute joint carries from step to step to warm-start its solver: protected
// in Box2D, reached through member pointers formed in a derived class (never instantiated).
struct RevoluteJointImpulses : b2RevoluteJoint {
  static constexpr b2Vec2 b2RevoluteJoint::*point = &RevoluteJointImpulses::m_impulse;
  static constexpr float b2RevoluteJoint::*motor = &RevoluteJointImpulses::m_motorImpulse;
  static constexpr float b2RevoluteJoint::*lower = &RevoluteJointImpulses::m_lowerImpulse;
  static constexpr float b2RevoluteJoint::*upper = &RevoluteJointImpulses::m_upperImpulse;
};

}  // namespace

// The Box2D world and what the contact listener records. The listener marks the body's
// touching the ground as the end of the episode and tracks each leg's contact.
struct LunarLander::World final : b2ContactListener {
  b2World world{b2Vec2(0.0f, -10.0f)};
  b2Body* ground = nullptr;
  b2Body* lander = nullptr;
  std::array<b2Body*, 2> legs{};
  std::array<int, 2> leg_contacts{};
  bool body_touched = false;

  World() { world.SetContactListener(this); }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  void BeginContact(b2Contact* contact) override { touch(contact, +1); }
  void EndContact(b2Contact* contact) override { touch(contact, -1); }

  void touch(b2Contact* contact, int change) {
    const b2Body* a = contact->GetFixtureA()->GetBody();
    const b2Body* b = contact->GetFixtureB()->GetBody();
    if (change > 0 && (a == lander || b == lander)) body_touched = true;
    for (int i = 0; i < 2; ++i) {
      if (a == legs[i] || b == legs[i]) leg_contacts[i] = std::max(0, leg_contacts[i] + change);
    }
  }
};

void LunarLander::copy_solver_impulses(const World& from, World& to) {
  // Joints: both lists hold the two legs' joints in the same order.
  const b2Joint* source_joint = from.world.GetJointList();
  b2Joint* target_joint = to.world.GetJointList();
  for (; source_joint != nullptr && target_joint != nullptr;
       source_joint = source_joint->GetNext(), target_joint = target_joint->GetNext()) {
    const auto& source = static_cast<const b2RevoluteJoint&>(*source_joint);
    auto& target = static_cast<b2RevoluteJoint&>(*target_joint);
    using J = RevoluteJointImpulses;
    target.*J::point = source.*J::point;
    target.*J::motor = source.*J::motor;
    target.*J::lower = source.*J::lower;
    target.*J::upper = source.*J::upper;
  }
  // Where a fixture sits in its world: its body (0 ground, 1 lander, 2 and 3 the legs) and its
  // place in that body's fixture list; the same in two worlds built alike.
  const auto fixture_place = [](const World& world, const b2Fixture* fixture) {
    const b2Body* body = fixture->GetBody();
    const std::array<const b2Body*, 4> bodies{world.ground, world.lander, world.legs[0],
                                              world.legs[1]};
    const auto slot = std::find(bodies.begin(), bodies.end(), body) - bodies.begin();
    int index = 0;
    for (const b2Fixture* f = body->GetFixtureList(); f != fixture; f = f->GetNext()) ++index;
    return std::pair<long, int>{slot, index};
  };
  for (const b2Contact* source = from.world.GetContactList(); source != nullptr;
       source = source->GetNext()) {
    if (!source->IsTouching()) continue;
    const auto a = fixture_place(from, source->GetFixtureA());
    const auto b = fixture_place(from, source->GetFixtureB());
    for (b2Contact* target = to.world.GetContactList(); target != nullptr;
         target = target->GetNext()) {
      if (fixture_place(to, target->GetFixtureA()) != a ||
          fixture_place(to, target->GetFixtureB()) != b ||
          target->GetChildIndexA() != source->GetChildIndexA() ||
          target->GetChildIndexB() != source->GetChildIndexB()) {
        continue;
      }
      const b2Manifold* known = source->GetManifold();
      b2Manifold* fresh = target->GetManifold();
      for (int i = 0; i < fresh->pointCount; ++i) {
        for (int j = 0; j < known->pointCount; ++j) {
          if (fresh->points[i].id.key != known->points[j].id.key) continue;
          fresh->points[i].normalImpulse = known->points[j].normalImpulse;
          fresh->points[i].tangentImpulse = known->points[j].tangentImpulse;
        }
      }
    }
  }
}

LunarLander::LunarLander() : LunarLander(Options{}) {}
LunarLander::LunarLander(const Options& options) : options_(options) {}
LunarLander::~LunarLander() = default;

std::vector<float> LunarLander::reset(std::uint64_t seed) {
  seed_ = seed;
  rng_.seed(seed);
  moves_.clear();
  steps_ = 0;
  done_ = false;
  world_ = std::make_unique<World>();
  b2World& world = world_->world;

  // Terrain: random heights, the pad's five made flat, each point the mean of three
  // neighbours (times 0.33, as the original; the first wraps round to the last height).
  std::array<double, kChunks + 1> height{};
  for (double& h : height) h = uniform(rng_, 0.0, kHeight / 2.0);
  for (int i = kChunks / 2 - 2; i <= kChunks / 2 + 2; ++i) height[i] = kPadY;
  for (int i = 0; i < kChunks; ++i) {
    const double before = height[(i + kChunks) % (kChunks + 1)];
    terrain_[i] = 0.33 * (before + height[i] + height[i + 1]);
  }
  b2BodyDef ground_def;
  world_->ground = world.CreateBody(&ground_def);
  const auto add_edge = [&](double x1, double y1, double x2, double y2) {
    b2EdgeShape edge;
    edge.SetTwoSided(b2Vec2(static_cast<float>(x1), static_cast<float>(y1)),
                     b2Vec2(static_cast<float>(x2), static_cast<float>(y2)));
    b2FixtureDef fixture;
    fixture.shape = &edge;
    fixture.density = 0.0f;
    fixture.friction = 0.1f;
    world_->ground->CreateFixture(&fixture);
  };
  add_edge(0.0, 0.0, kWidth, 0.0);
  const double chunk = kWidth / (kChunks - 1);
  for (int i = 0; i + 1 < kChunks; ++i)
    add_edge(chunk * i, terrain_[i], chunk * (i + 1), terrain_[i + 1]);

  // The lander, at the top centre.
  const double start_x = kWidth / 2.0, start_y = kHeight;
  b2BodyDef lander_def;
  lander_def.type = b2_dynamicBody;
  lander_def.position.Set(static_cast<float>(start_x), static_cast<float>(start_y));
  world_->lander = world.CreateBody(&lander_def);
  std::array<b2Vec2, kHull.size()> hull;
  for (std::size_t i = 0; i < kHull.size(); ++i) {
    hull[i].Set(static_cast<float>(kHull[i][0] / kScale), static_cast<float>(kHull[i][1] / kScale));
  }
  b2PolygonShape hull_shape;
  hull_shape.Set(hull.data(), static_cast<int>(hull.size()));
  b2FixtureDef hull_fixture;
  hull_fixture.shape = &hull_shape;
  hull_fixture.density = 5.0f;
  hull_fixture.friction = 0.1f;
  hull_fixture.restitution = 0.0f;
  hull_fixture.filter.categoryBits = kLanderBits;
  hull_fixture.filter.maskBits = kGround;
  world_->lander->CreateFixture(&hull_fixture);
  double push_x = options_.push[0], push_y = options_.push[1];
  if (options_.random_push) {
    push_x += uniform(rng_, -kInitialRandom, kInitialRandom);
    push_y += uniform(rng_, -kInitialRandom, kInitialRandom);
  }
  world_->lander->ApplyForceToCenter(b2Vec2(static_cast<float>(push_x), static_cast<float>(push_y)),
                                     true);

  // Legs, held by motorised joints inside angle limits: they act as springs on landing.
  for (int side = 0; side < 2; ++side) {
    const double i = side == 0 ? -1.0 : +1.0;
    b2BodyDef leg_def;
    leg_def.type = b2_dynamicBody;
    leg_def.position.Set(static_cast<float>(start_x - i * kLegAway / kScale),
                         static_cast<float>(start_y));
    leg_def.angle = static_cast<float>(i * 0.05);
    b2Body* leg = world.CreateBody(&leg_def);
    b2PolygonShape box;
    box.SetAsBox(static_cast<float>(kLegWidth / kScale), static_cast<float>(kLegHeight / kScale));
    b2FixtureDef leg_fixture;
    leg_fixture.shape = &box;
    leg_fixture.density = 1.0f;
    leg_fixture.restitution = 0.0f;
    leg_fixture.filter.categoryBits = kLegBits;
    leg_fixture.filter.maskBits = kGround;
    leg->CreateFixture(&leg_fixture);
    b2RevoluteJointDef joint;
    joint.bodyA = world_->lander;
    joint.bodyB = leg;
    joint.localAnchorA.Set(0.0f, 0.0f);
    joint.localAnchorB.Set(static_cast<float>(i * kLegAway / kScale),
                           static_cast<float>(kLegDown / kScale));
    joint.enableMotor = true;
    joint.enableLimit = true;
    joint.maxMotorTorque = static_cast<float>(kLegSpringTorque);
    joint.motorSpeed = static_cast<float>(0.3 * i);
    joint.lowerAngle = static_cast<float>(side == 0 ? 0.9 - 0.5 : -0.9);
    joint.upperAngle = static_cast<float>(side == 0 ? 0.9 : -0.9 + 0.5);
    world.CreateJoint(&joint);
    world_->legs[side] = leg;
  }

  // As the original, the first observation comes from one step with the engines off; its
  // reward only sets the shaping's starting point.
  advance(kNothing, /*first=*/true);
  return observation_;
}

StepResult LunarLander::step(Action action) {
  if (done_) throw std::logic_error("LunarLander::step called on a finished episode");
  if (action < 0 || action > 3) throw std::invalid_argument("lunar_lander action must be 0 to 3");
  moves_.push_back(action);
  return advance(action, /*first=*/false);
}

StepResult LunarLander::advance(Action action, bool first) {
  b2Body* lander = world_->lander;
  const double angle = lander->GetAngle();
  const double tip_x = std::sin(angle), tip_y = std::cos(angle);
  const double side_x = -tip_y, side_y = tip_x;
  double dispersion[2];
  for (double& d : dispersion) d = uniform(rng_, -1.0, 1.0) / kScale;
  if (!options_.dispersion) dispersion[0] = dispersion[1] = 0.0;
  const b2Vec2 position = lander->GetPosition();

  const auto fire = [&](double ox, double oy, double power, double at_x, double at_y) {
    lander->ApplyLinearImpulse(
        b2Vec2(static_cast<float>(-ox * power), static_cast<float>(-oy * power)),
        b2Vec2(static_cast<float>(at_x), static_cast<float>(at_y)), true);
  };
  const bool main_engine = action == kMainEngine;
  const bool side_engine = action == kLeftEngine || action == kRightEngine;
  if (main_engine) {
    const double along = kMainEngineOffset / kScale + 2.0 * dispersion[0];
    const double ox = tip_x * along + side_x * dispersion[1];
    const double oy = -tip_y * along - side_y * dispersion[1];
    fire(ox, oy, kMainEnginePower, position.x + ox, position.y + oy);
  }
  if (side_engine) {
    const double direction = action - 2;  // -1 left, +1 right
    const double across = 3.0 * dispersion[1] + direction * kSideEngineAway / kScale;
    const double ox = tip_x * dispersion[0] + side_x * across;
    const double oy = -tip_y * dispersion[0] - side_y * across;
    // The original applies it 17 px across but 14 px up: kept, since it shapes the torque.
    fire(ox, oy, kSideEnginePower, position.x + ox - tip_x * 17.0 / kScale,
         position.y + oy + tip_y * kSideEngineHeight / kScale);
  }

  world_->world.Step(static_cast<float>(1.0 / kFps), 6 * 30, 2 * 30);

  const b2Vec2 p = lander->GetPosition();
  const b2Vec2 v = lander->GetLinearVelocity();
  const double half_width = kWidth / 2.0, half_height = kHeight / 2.0;
  observation_ = {
      static_cast<float>((p.x - half_width) / half_width),
      static_cast<float>((p.y - (kPadY + kLegDown / kScale)) / half_height),
      static_cast<float>(v.x * half_width / kFps),
      static_cast<float>(v.y * half_height / kFps),
      lander->GetAngle(),
      static_cast<float>(20.0 * lander->GetAngularVelocity() / kFps),
      world_->leg_contacts[0] > 0 ? 1.0f : 0.0f,
      world_->leg_contacts[1] > 0 ? 1.0f : 0.0f,
  };
  const double potential = shaping(observation_);
  double reward = first ? 0.0 : potential - previous_shaping_;
  previous_shaping_ = potential;
  if (main_engine) reward -= 0.30;
  if (side_engine) reward -= 0.03;

  bool truncated = false;
  if (!first) {
    ++steps_;
    if (world_->body_touched || std::abs(observation_[0]) >= 1.0f) {
      done_ = true;
      reward = -100.0;
    }
    if (!lander->IsAwake()) {
      done_ = true;
      reward = +100.0;
    }
    if (!done_ && steps_ >= kMaxSteps) {
      done_ = true;
      truncated = true;
    }
  }
  return {observation_, static_cast<float>(reward), done_, truncated};
}

double LunarLander::shaping(const std::vector<float>& o) {
  return -100.0 * std::sqrt(double{o[0]} * o[0] + double{o[1]} * o[1]) -
         100.0 * std::sqrt(double{o[2]} * o[2] + double{o[3]} * o[3]) -
         100.0 * std::abs(double{o[4]}) + 10.0 * o[6] + 10.0 * o[7];
}

std::unique_ptr<Game> LunarLander::clone() const {
  auto copy = std::make_unique<LunarLander>(options_);
  if (!world_) return copy;
  copy->reset(seed_);
  for (Action move : moves_) copy->step(move);
  return copy;
}

std::unique_ptr<Game> LunarLander::lookahead_copy() const {
  auto copy = std::make_unique<LunarLander>(options_);
  if (!world_) return copy;
  copy->reset(seed_);
  const std::array<const b2Body*, 3> from{world_->lander, world_->legs[0], world_->legs[1]};
  const std::array<b2Body*, 3> to{copy->world_->lander, copy->world_->legs[0],
                                  copy->world_->legs[1]};
  for (int i = 0; i < 3; ++i) {
    to[i]->SetTransform(from[i]->GetPosition(), from[i]->GetAngle());
    to[i]->SetLinearVelocity(from[i]->GetLinearVelocity());
    to[i]->SetAngularVelocity(from[i]->GetAngularVelocity());
    to[i]->SetAwake(from[i]->IsAwake());
  }
  // A step of no time finds the contacts again (the listener counts them from zero as they
  // begin) without moving anything; each then takes the warm-start impulses of the original's
  // same contact, which hold a resting lander up in the next step as they do in the original.
  copy->world_->leg_contacts = {0, 0};
  copy->world_->body_touched = false;
  copy->world_->world.Step(0.0f, 6 * 30, 2 * 30);
  copy_solver_impulses(*world_, *copy->world_);
  copy->rng_ = rng_;
  copy->moves_ = moves_;
  copy->observation_ = observation_;
  copy->previous_shaping_ = previous_shaping_;
  copy->steps_ = steps_;
  copy->done_ = done_;
  return copy;
}

std::array<LunarLander::Body, 3> LunarLander::bodies() const {
  if (!world_) throw std::logic_error("LunarLander::bodies before reset");
  std::array<Body, 3> out{};
  const std::array<const b2Body*, 3> all{world_->lander, world_->legs[0], world_->legs[1]};
  for (int i = 0; i < 3; ++i) {
    const b2Body* b = all[i];
    out[i] = {b->GetMass(),
              b->GetWorldCenter().x,
              b->GetWorldCenter().y,
              b->GetLinearVelocity().x,
              b->GetLinearVelocity().y,
              b->GetAngle(),
              b->GetAngularVelocity(),
              b->IsAwake()};
  }
  return out;
}

std::optional<Action> LunarLander::expert_action() const {
  if (done_) return std::nullopt;
  const std::vector<float>& o = observation_;
  const double x = o[0], y = o[1], vx = o[2], vy = o[3], angle = o[4], spin = o[5];
  // Lean so that the main engine pushes towards the pad and against the sideways drift (a
  // positive angle turns the thrust towards -x), no more than 0.35 rad.
  const double lean = std::clamp(0.6 * x + 1.2 * vx, -0.35, 0.35);
  // Hold a height that shrinks as the pad nears, so that the lander arrives over it high.
  const double hold = 0.5 * std::abs(x);
  double turn = 0.6 * (lean - angle) - 0.9 * spin;
  double climb = 0.6 * (hold - y) - 0.7 * vy;
  if (o[6] > 0.5f || o[7] > 0.5f) {  // on the ground: no turning, only soften the fall
    turn = 0.0;
    climb = -0.6 * vy;
  }
  if (climb > std::abs(turn) && climb > 0.05) return kMainEngine;
  if (turn > 0.05) return kLeftEngine;
  if (turn < -0.05) return kRightEngine;
  return kNothing;
}

std::string LunarLander::render() const {
  // 60 columns by 20 rows over the 20 x 13.3 m world: '#' ground, '=' the pad, 'A' the lander.
  constexpr int kColumns = 60, kRows = 20;
  std::vector<std::string> rows(kRows, std::string(kColumns, ' '));
  const double chunk = kWidth / (kChunks - 1);
  for (int c = 0; c < kColumns; ++c) {
    const double x = (c + 0.5) * kWidth / kColumns;
    const int i = std::min(kChunks - 2, static_cast<int>(x / chunk));
    const double t = (x - i * chunk) / chunk;
    const double ground = terrain_[i] + t * (terrain_[i + 1] - terrain_[i]);
    const bool pad = x >= 4 * chunk && x <= 6 * chunk;
    for (int r = 0; r < kRows; ++r) {
      const double y = (kRows - r - 0.5) * kHeight / kRows;
      if (y < ground) rows[r][c] = pad ? '=' : '#';
    }
  }
  if (world_) {
    const b2Vec2 p = world_->lander->GetPosition();
    const int c = static_cast<int>(p.x / kWidth * kColumns);
    const int r = kRows - 1 - static_cast<int>(p.y / kHeight * kRows);
    if (c >= 0 && c < kColumns && r >= 0 && r < kRows) rows[r][c] = 'A';
  }
  std::ostringstream out;
  for (const std::string& row : rows) out << '|' << row << "|\n";
  const std::vector<float>& o = observation_;
  out.precision(3);
  out << std::fixed << "step " << steps_ << "  x " << o[0] << "  y " << o[1] << "  vx " << o[2]
      << "  vy " << o[3] << "  angle " << o[4] << "  legs " << (o[6] > 0.5f ? "L" : "-")
      << (o[7] > 0.5f ? "R" : "-") << (done_ ? "  (over)" : "") << "\n";
  return out.str();
}

std::string LunarLander::action_to_string(Action action) const {
  static const char* const kNames[] = {"nothing", "left", "main", "right"};
  if (action < 0 || action > 3) return "?";
  return kNames[action];
}

std::optional<Action> LunarLander::action_from_string(std::string_view text) const {
  static const std::array<std::array<std::string_view, 3>, 4> kSpellings{{
      {"nothing", "n", "0"},
      {"left", "l", "1"},
      {"main", "m", "2"},
      {"right", "r", "3"},
  }};
  for (int a = 0; a < 4; ++a) {
    for (std::string_view spelling : kSpellings[a]) {
      if (text == spelling) return a;
    }
  }
  return std::nullopt;
}

}  // namespace muzero
