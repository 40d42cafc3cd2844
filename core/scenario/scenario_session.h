#pragma once

#include "base/virtual_clock.h"
#include "engine/engine_config.h"
#include "scenario/scenario_file.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <limits>
#include <memory>
#include <mutex>
#include <vector>

namespace tai {

class Engine;
class ScenarioRecorder;

// One training run (DESIGN.md §9.4, §9.5, §12): the engine on a VirtualClock, fed by the
// scenario's generated traffic and timeline, driven at a chosen speed. Every clock advance and
// every timeline event runs on the engine thread, and an event always lands exactly between two
// advances, so operator commands given live (also "between two advances") replay exactly.
//
// Lives on the thread that drives it (the GUI or the CLI's main thread).
class ScenarioSession : public QObject {
    Q_OBJECT
public:
    static constexpr double kMaxSpeed = std::numeric_limits<double>::infinity();

    // `base` supplies the policy, tracing and audit options; the seed, load, ids and regions
    // come from the scenario (`seed` overrides the file's when given).
    ScenarioSession(Scenario scenario, QJsonObject source, EngineConfig base,
                    std::optional<std::uint64_t> seed = std::nullopt, QObject* parent = nullptr);
    ~ScenarioSession() override;

    bool start(QString* error);
    Engine& engine() { return *engine_; }
    const Scenario& scenario() const { return scenario_; }
    std::uint64_t seed() const { return seed_; }
    const PolicyDocument& policy() const { return config_.policy; }
    TimePoint startTime() const { return start_; }  // virtual time at 0 s

    double elapsedS() const { return elapsedS_; }
    double durationS() const { return scenario_.durationS; }
    double speed() const { return speed_; }
    bool paused() const { return paused_; }
    bool isFinished() const { return finished_; }
    // When the next timeline event is due, from the start; nullopt when none is left.
    std::optional<double> nextEventS() const;

    void setSpeed(double factor);  // > 0; kMaxSpeed runs as fast as the engine can
    void pause();
    void resume();
    void stepSeconds(double seconds = 1);
    void stepEvent();  // to the next timeline event, applying it

    // Runs to the end at full speed, blocking (CLI and tests). Returns the report.
    QJsonObject runToEnd();
    // Blocking, at full speed, up to `seconds` from the start (tests drive a run this way and
    // give commands in between, as the console does). Leaves the run paused.
    void runUntil(double seconds);
    // The §9.5 report; complete once finished.
    QJsonObject report() const { return report_; }
    // Objectives as they stood after the last advance (met ones say when).
    QJsonArray objectives() const { return objectives_; }
    // The scenario file with the trainee's commands added as events: replaying it reproduces
    // this run, digest and all ("Save session").
    QByteArray sessionFile();

Q_SIGNALS:
    void advanced(double elapsedS);
    void stateChanged();  // speed, pause
    void objectivesChanged(const QJsonArray& objectives);
    void finished(const QJsonObject& report);

private:
    Q_INVOKABLE void collectAdvances();  // on this thread: the advances the engine finished
    void tick();
    void requestAdvance(double targetS);
    void advanceOnEngine(TimePoint target);  // engine thread
    void finishOnEngine();                   // engine thread
    void chunkDone(double reachedS);
    void reached(double seconds);  // bookkeeping after an advance; finishes the run at its end
    void takeObjectives();
    TimePoint at(double seconds) const;

    Scenario scenario_;
    QJsonObject source_;
    std::uint64_t seed_;
    EngineConfig config_;
    TimePoint start_;
    VirtualClock clock_;
    std::shared_ptr<ScenarioRecorder> recorder_;
    std::unique_ptr<Engine> engine_;
    std::vector<ScenarioEvent> timeline_;
    std::size_t nextEvent_ = 0;  // engine thread; mirrored below for the owner
    std::optional<double> nextEventS_;

    QTimer timer_;
    QElapsedTimer realTime_;
    double speed_ = 1;
    bool paused_ = false;
    bool busy_ = false;
    bool finished_ = false;
    double elapsedS_ = 0;
    double pendingStepTo_ = -1;  // a step asked for while a chunk was running
    QJsonObject report_;
    QJsonArray objectives_;        // owner thread, after each advance
    QJsonArray engineObjectives_;  // engine thread, handed over when the advance completes
    std::mutex doneMutex_;
    std::vector<double> done_;  // advances finished on the engine thread, not yet collected
};

// The built-in scenarios (resources/scenarios/*.json) by name, in the order `scenario list` shows.
QStringList builtinScenarioNames();
// Reads a built-in by name or a file by path. On failure the errors say why (file, line, column).
struct LoadedScenario {
    std::optional<Scenario> scenario;
    QJsonObject source;
    QString origin;  // ":/scenarios/x.json" or the path
    QStringList errors;
};
// A scenario of 100 000 events is about 15 MB; a file past this is refused unread.
inline constexpr qint64 kMaxScenarioBytes = 64 * 1024 * 1024;
LoadedScenario loadScenario(const QString& nameOrPath);

}  // namespace tai
