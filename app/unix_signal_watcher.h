#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace tai::app {

// Turns SIGINT and SIGTERM into a Qt signal on the main thread: the handler only writes a byte
// to a socket pair (async-signal-safe); the event loop reads it.
class UnixSignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject* parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void readSignal();
    std::unique_ptr<QSocketNotifier> notifier_;
};

}  // namespace tai::app
