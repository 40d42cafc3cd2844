#include "bench_ui.h"

#include "engine/engine.h"
#include "main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <ctime>

namespace tai::app {

using namespace std::chrono_literals;

namespace {
double threadCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::uint64_t decided(const Engine& engine) {
    const SnapshotPtr snapshot = engine.latestSnapshot();
    return snapshot ? snapshot->kpis.received : 0;
}
}  // namespace

UiRun measureUiFrames(EngineConfig config, double seconds) {
    config.auditDatabase.reset();
    config.policy.payments.gatewayRatePerS = 1'000'000'000;
    config.policy.payments.gatewayBurst = 1'000'000;
    config.load.paymentsPerSecond = 400'000;  // offered; the engine decides as many as it can
    Engine engine(config);
    UiRun run;
    if (!engine.start()) {
        return run;
    }
    ui::MainWindow window(engine);
    window.resize(1280, 800);
    window.show();

    constexpr int kPeriodMs = 33;  // 30 Hz
    std::vector<double> frames;
    QElapsedTimer clock;
    clock.start();
    qint64 lastTickNs = -1;
    bool measuring = false;
    std::uint64_t decidedAtStart = 0;
    double cpuAtStart = 0;
    qint64 measureStartNs = 0;

    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(kPeriodMs);
    QObject::connect(&ticker, &QTimer::timeout, &window, [&] {
        const qint64 tickNs = clock.nsecsElapsed();
        window.repaint();
        const qint64 doneNs = clock.nsecsElapsed();
        if (measuring && lastTickNs >= 0) {
            const double lateMs =
                std::max<double>(0, static_cast<double>(tickNs - lastTickNs) / 1e6 - kPeriodMs);
            frames.push_back(lateMs + static_cast<double>(doneNs - tickNs) / 1e6);
        }
        lastTickNs = tickNs;
    });
    ticker.start();
    // One second of warm-up: the charts fill and the engine reaches its pace.
    QTimer::singleShot(1000, &window, [&] {
        measuring = true;
        decidedAtStart = decided(engine);
        cpuAtStart = threadCpuSeconds();
        measureStartNs = clock.nsecsElapsed();
    });
    QTimer::singleShot(1000 + static_cast<int>(seconds * 1000), &window, [&] {
        const double elapsed = static_cast<double>(clock.nsecsElapsed() - measureStartNs) / 1e9;
        run.engineSignalsPerS = static_cast<double>(decided(engine) - decidedAtStart) / elapsed;
        run.guiThreadCpuPercent = 100.0 * (threadCpuSeconds() - cpuAtStart) / elapsed;
        QApplication::exit(0);
    });
    QApplication::exec();
    ticker.stop();
    engine.stop();

    if (!frames.empty()) {
        std::sort(frames.begin(), frames.end());
        run.frames = static_cast<int>(frames.size());
        run.frameMaxMs = frames.back();
        run.frameP99Ms = frames[std::min(frames.size() - 1, static_cast<std::size_t>(frames.size() * 0.99))];
    }
    return run;
}

double measureStartupMs() {
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer timer;
    timer.start();
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--ephemeral"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                 QStringLiteral("--exit-after-first-frame")});
    double startupMs = -1;
    while (child.state() != QProcess::NotRunning || child.bytesAvailable() > 0) {
        if (child.canReadLine()) {
            if (child.readLine().startsWith("first-frame")) {
                startupMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
                break;
            }
            continue;
        }
        if (!child.waitForReadyRead(10'000) && child.state() == QProcess::NotRunning) {
            break;
        }
        if (timer.elapsed() > 30'000) {
            break;
        }
    }
    if (!child.waitForFinished(10'000)) {
        child.kill();
        child.waitForFinished();
    }
    return startupMs;
}

}  // namespace tai::app
