#include "scenario/scenario_session.h"

#include "base/bounded_file.h"
#include "engine/engine.h"
#include "scenario/scenario_commands.h"
#include "scenario/scenario_recorder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace tai {

using namespace std::chrono;

namespace {
// Virtual time starts at a fixed instant, so audit rows (and the digest) do not depend on the day.
const TimePoint kScenarioEpoch = TimePoint(sys_days(year(2026) / January / 1));
constexpr int kTickMs = 50;
constexpr double kMaxChunkS = 5;  // at max speed: virtual seconds per engine call
}  // namespace

ScenarioSession::ScenarioSession(Scenario scenario, QJsonObject source, EngineConfig base,
                                 std::optional<std::uint64_t> seed, QObject* parent)
    : QObject(parent),
      scenario_(std::move(scenario)),
      source_(std::move(source)),
      seed_(seed.value_or(scenario_.seed)),
      config_(std::move(base)),
      start_(kScenarioEpoch),
      clock_(kScenarioEpoch) {
    timeline_ = expandTimeline(scenario_);
    nextEventS_ = timeline_.empty() ? std::nullopt : std::optional<double>(timeline_.front().atS);
    timer_.setInterval(kTickMs);
    connect(&timer_, &QTimer::timeout, this, &ScenarioSession::tick);
}

ScenarioSession::~ScenarioSession() {
    timer_.stop();
    if (engine_) {
        engine_->stop();
    }
}

TimePoint ScenarioSession::at(double seconds) const {
    return start_ + microseconds(std::llround(seconds * 1e6));
}

bool ScenarioSession::start(QString* error) {
    config_.seed = seed_;
    config_.deterministicIds = true;
    config_.load = LoadProfile{scenario_.paymentsPerS, scenario_.fraudsterShare, scenario_.customers};
    if (!scenario_.regions.isEmpty()) {
        config_.policy.deployments.regions = scenario_.regions;
    }
    recorder_ = std::make_shared<ScenarioRecorder>(scenario_, seed_, start_, config_.policy.version);
    config_.observer = recorder_;
    engine_ = std::make_unique<Engine>(config_, clock_);
    if (!engine_->start()) {
        if (error != nullptr) {
            *error = engine_->startError();
        }
        return false;
    }
    realTime_.start();
    timer_.start();
    return true;
}

std::optional<double> ScenarioSession::nextEventS() const {
    return nextEventS_;
}

void ScenarioSession::setSpeed(double factor) {
    if (!(factor > 0)) {
        return;
    }
    speed_ = factor;
    paused_ = false;
    realTime_.restart();
    if (!finished_ && !timer_.isActive()) {
        timer_.start();
    }
    Q_EMIT stateChanged();
}

void ScenarioSession::pause() {
    paused_ = true;
    Q_EMIT stateChanged();
}

void ScenarioSession::resume() {
    paused_ = false;
    realTime_.restart();
    if (!finished_ && !timer_.isActive()) {
        timer_.start();
    }
    Q_EMIT stateChanged();
}

void ScenarioSession::stepSeconds(double seconds) {
    paused_ = true;
    Q_EMIT stateChanged();
    const double target = std::min(scenario_.durationS, std::floor(elapsedS_ + 1e-9) + seconds);
    if (busy_) {
        pendingStepTo_ = target;
        return;
    }
    requestAdvance(target);
}

void ScenarioSession::stepEvent() {
    paused_ = true;
    Q_EMIT stateChanged();
    const double target = nextEventS_.value_or(scenario_.durationS);
    if (busy_) {
        pendingStepTo_ = target;
        return;
    }
    requestAdvance(target);
}

void ScenarioSession::tick() {
    const double realS = static_cast<double>(realTime_.restart()) / 1000.0;
    if (busy_ || paused_ || finished_) {
        return;
    }
    const double step = std::isinf(speed_) ? kMaxChunkS : speed_ * realS;
    requestAdvance(std::min(scenario_.durationS, elapsedS_ + step));
}

void ScenarioSession::requestAdvance(double targetS) {
    if (finished_ || !engine_) {
        return;
    }
    busy_ = true;
    const TimePoint target = at(targetS);
    // The finished advance comes back through a std::mutex slot, so the hand-off is visible to
    // ThreadSanitizer, plus a queued call by name that only wakes this thread (Qt allocates that
    // event inside libQt6Core). QFuture::then() is not used: in Qt 6.4 attaching a continuation
    // races with the future finishing on another thread. The destructor stops the engine first,
    // so `this` outlives every wake-up it is sent.
    engine_->invoke([this, target, targetS] {
        advanceOnEngine(target);
        {
            std::lock_guard lock(doneMutex_);
            done_.push_back(targetS);
        }
        QMetaObject::invokeMethod(this, "collectAdvances", Qt::QueuedConnection);
    });
}

void ScenarioSession::collectAdvances() {
    std::vector<double> done;
    {
        std::lock_guard lock(doneMutex_);
        done.swap(done_);
    }
    for (const double reachedS : done) {
        chunkDone(reachedS);
    }
}

void ScenarioSession::advanceOnEngine(TimePoint target) {
    // Timers due on the way fire first; an event lands between two advances, like a live command.
    while (nextEvent_ < timeline_.size() && at(timeline_[nextEvent_].atS) <= target) {
        const double eventS = timeline_[nextEvent_].atS;
        clock_.advanceTo(at(eventS));
        recorder_->setApplyingTimeline(true);
        while (nextEvent_ < timeline_.size() && timeline_[nextEvent_].atS == eventS) {
            const ScenarioAction action = actionFor(timeline_[nextEvent_]);
            if (const auto* command = std::get_if<EngineCommand>(&action)) {
                engine_->executeHere(*command);
            } else {
                engine_->submitHere(std::get<QByteArray>(action));
            }
            ++nextEvent_;
        }
        recorder_->setApplyingTimeline(false);
    }
    clock_.advanceTo(target);
    if (target >= at(scenario_.durationS)) {
        finishOnEngine();
    }
    engineObjectives_ = recorder_->objectives();
}

void ScenarioSession::finishOnEngine() {
    recorder_->finish();
    const SnapshotPtr last = engine_->latestSnapshot();
    report_ = recorder_->report(last ? last->kpis : KpiView{});
}

void ScenarioSession::takeObjectives() {
    if (engineObjectives_ != objectives_) {
        objectives_ = engineObjectives_;
        Q_EMIT objectivesChanged(objectives_);
    }
}

void ScenarioSession::reached(double seconds) {
    elapsedS_ = std::max(elapsedS_, seconds);
    takeObjectives();
    const auto next = std::find_if(timeline_.begin(), timeline_.end(),
                                   [this](const ScenarioEvent& e) { return e.atS > elapsedS_; });
    nextEventS_ = next == timeline_.end() ? std::nullopt : std::optional<double>(next->atS);
    Q_EMIT advanced(elapsedS_);
    if (elapsedS_ >= scenario_.durationS && !finished_) {
        finished_ = true;
        timer_.stop();
        Q_EMIT stateChanged();
        Q_EMIT finished(report_);
    }
}

void ScenarioSession::chunkDone(double reachedS) {
    busy_ = false;
    reached(reachedS);
    if (finished_) {
        return;
    }
    if (pendingStepTo_ >= 0) {
        const double target = std::max(pendingStepTo_, elapsedS_);
        pendingStepTo_ = -1;
        requestAdvance(target);
    } else if (!paused_ && std::isinf(speed_)) {
        tick();  // back to back: as fast as the engine goes
    }
}

QJsonObject ScenarioSession::runToEnd() {
    runUntil(scenario_.durationS);
    return report_;
}

void ScenarioSession::runUntil(double seconds) {
    timer_.stop();  // this caller drives now; the timer resumes on the next speed change
    paused_ = true;
    Q_EMIT stateChanged();
    // An advance still in flight lands first (the engine runs its work in order).
    const double until = std::min(seconds, scenario_.durationS);
    while (!finished_ && elapsedS_ < until) {
        const double target = std::min(until, elapsedS_ + kMaxChunkS);
        engine_->invoke([this, t = at(target)] { advanceOnEngine(t); }).waitForFinished();
        reached(target);
    }
}

QByteArray ScenarioSession::sessionFile() {
    std::vector<QJsonObject> recorded;
    engine_->invoke([this, &recorded] { recorded = recorder_->recordedEvents(); }).waitForFinished();
    const QJsonArray original = source_.value(QStringLiteral("events")).toArray();
    // A command the engine refused can carry values the file format does not accept (an empty
    // deployment id, a rate above the format's range). Such an event is left out and named in
    // the description, so the file always loads; the run it replays then differs by that command.
    QStringList leftOut;
    QJsonObject file = source_;
    file.insert(QStringLiteral("seed"), static_cast<qint64>(seed_));
    for (;;) {
        QJsonArray events = original;
        for (const QJsonObject& event : recorded) {
            events.append(event);
        }
        file.insert(QStringLiteral("events"), events);
        const auto parsed = parseScenario(QJsonDocument(file).toJson(QJsonDocument::Indented));
        const auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed);
        if (errors == nullptr) {
            break;
        }
        static const QRegularExpression eventIndex(QStringLiteral("^events\\[(\\d+)\\]"));
        const QRegularExpressionMatch match = eventIndex.match(errors->front().path);
        const qsizetype index = match.hasMatch() ? match.captured(1).toLongLong() - original.size() : -1;
        if (index < 0 || index >= static_cast<qsizetype>(recorded.size())) {
            break;  // not a recorded event: the source itself was valid when it started, so this cannot
                    // happen
        }
        const QJsonObject bad = recorded[static_cast<std::size_t>(index)];
        leftOut << QStringLiteral("%1 at %2 s (%3)")
                       .arg(bad.value(QStringLiteral("command"))
                                .toString(bad.value(QStringLiteral("do")).toString()))
                       .arg(bad.value(QStringLiteral("at_s")).toDouble())
                       .arg(errors->front().message);
        recorded.erase(recorded.begin() + index);
    }
    const QString description = file.value(QStringLiteral("description")).toString();
    QString note = QStringLiteral("Recorded session: %1 command(s) given during the run, replayed as events.")
                       .arg(recorded.size());
    if (!leftOut.isEmpty()) {
        note += QStringLiteral(" Left out, as the file format cannot say them: ") +
                leftOut.join(QStringLiteral("; ")) + QLatin1Char('.');
    }
    file.insert(QStringLiteral("description"),
                QString(description + (description.isEmpty() ? QString() : QStringLiteral("\n\n")) + note));
    return QJsonDocument(file).toJson(QJsonDocument::Indented);
}

QStringList builtinScenarioNames() {
    // The order trainers meet them in: calm first, then payments, then deployments.
    return {QStringLiteral("steady-state"),     QStringLiteral("gateway-outage"),
            QStringLiteral("flapping-gateway"), QStringLiteral("fraud-burst"),
            QStringLiteral("traffic-spike"),    QStringLiteral("bad-canary"),
            QStringLiteral("marginal-canary"),  QStringLiteral("regional-halt")};
}

LoadedScenario loadScenario(const QString& nameOrPath) {
    LoadedScenario loaded;
    const bool builtin = builtinScenarioNames().contains(nameOrPath);
    loaded.origin = builtin ? QStringLiteral(":/scenarios/%1.json").arg(nameOrPath) : nameOrPath;
    if (!builtin && !QFileInfo::exists(nameOrPath) && !nameOrPath.contains(QLatin1Char('/')) &&
        !nameOrPath.endsWith(QStringLiteral(".json"))) {
        loaded.errors << QStringLiteral("%1: no built-in scenario or file by that name (built-in: %2)")
                             .arg(nameOrPath, builtinScenarioNames().join(QStringLiteral(", ")));
        return loaded;
    }
    QString error;
    const auto read = readFileAtMost(loaded.origin, kMaxScenarioBytes, &error);
    if (!read) {
        loaded.errors << error;
        return loaded;
    }
    const QByteArray& text = *read;
    auto parsed = parseScenario(text);
    if (auto* errors = std::get_if<std::vector<ScenarioError>>(&parsed)) {
        for (const ScenarioError& e : *errors) {
            loaded.errors << QDir::toNativeSeparators(nameOrPath) + QStringLiteral(": ") + e.text();
        }
        return loaded;
    }
    loaded.scenario = std::get<Scenario>(std::move(parsed));
    loaded.source = QJsonDocument::fromJson(text).object();
    return loaded;
}

}  // namespace tai
