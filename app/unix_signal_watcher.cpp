#include "unix_signal_watcher.h"

#include <sys/socket.h>
#include <unistd.h>
#include <csignal>

namespace tai::app {

namespace {
int g_socketPair[2] = {-1, -1};

void onSignal(int number) {
    const char byte = static_cast<char>(number);
    [[maybe_unused]] const auto written = ::write(g_socketPair[0], &byte, 1);
}
}  // namespace

UnixSignalWatcher::UnixSignalWatcher(QObject* parent) : QObject(parent) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_socketPair) != 0) {
        return;
    }
    notifier_ = std::make_unique<QSocketNotifier>(g_socketPair[1], QSocketNotifier::Read);
    connect(notifier_.get(), &QSocketNotifier::activated, this, &UnixSignalWatcher::readSignal);
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

UnixSignalWatcher::~UnixSignalWatcher() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

void UnixSignalWatcher::readSignal() {
    char byte = 0;
    if (::read(g_socketPair[1], &byte, 1) == 1) {
        Q_EMIT terminationRequested(static_cast<int>(byte));
    }
}

}  // namespace tai::app
