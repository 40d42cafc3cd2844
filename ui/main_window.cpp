#include "main_window.h"

#include "engine/engine.h"

#include <QLabel>
#include <QVBoxLayout>

namespace tai::ui {

MainWindow::MainWindow(Engine& engine, QWidget* parent) : QMainWindow(parent), engine_(engine) {
    setWindowTitle(QStringLiteral("TAI Console"));
    summary_ = new QLabel(this);
    summary_->setTextFormat(Qt::PlainText);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    summary_->setMargin(16);
    setCentralWidget(summary_);
    resize(1280, 800);
    connect(&engine_, &Engine::snapshotReady, this, &MainWindow::showSnapshot);
    if (auto snapshot = engine_.latestSnapshot()) {
        showSnapshot(snapshot);
    }
}

void MainWindow::showSnapshot(const SnapshotPtr& snapshot) {
    const auto& k = snapshot->kpis;
    const auto& breaker = snapshot->breakers.at(0).status;
    summary_->setText(QStringLiteral("Throughput: %1/s\nBreaker %2: %3\nReceived: %4  Charged: %5")
                          .arg(k.throughputPerS, 0, 'f', 1)
                          .arg(breaker.name, toString(breaker.state))
                          .arg(k.received)
                          .arg(k.totals[0]));
}

}  // namespace tai::ui
