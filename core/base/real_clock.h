#pragma once

#include "base/clock.h"
#include "base/timer_queue.h"

#include <QObject>
#include <QTimer>

namespace tai {

// Wall-clock time. Timers run on the thread this object lives in, driven by one precise QTimer
// armed for the earliest due timer. schedule()/cancel() must be called from that thread.
class RealClock final : public QObject, public Clock {
    Q_OBJECT
public:
    explicit RealClock(QObject* parent = nullptr);

    TimePoint now() const override;
    TimerId schedule(TimePoint due, std::function<void()> callback) override;
    void cancel(TimerId id) override;

    // Monotonic reading for measuring elapsed time (benchmarks, frame timing). Never goes back.
    static Duration monotonicNow();

private:
    void fireDue();
    void rearm();

    TimerQueue timers_;
    QTimer driver_;
};

}  // namespace tai
