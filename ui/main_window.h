#pragma once

#include "engine/engine_snapshot.h"

#include <QMainWindow>

class QLabel;

namespace tai {

class Engine;

namespace ui {

// The operations console's main window. Driven only by engine snapshots; talks back only
// through engine commands.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);

    void showSnapshot(const SnapshotPtr& snapshot);

private:
    Engine& engine_;
    QLabel* summary_;
};

}  // namespace ui
}  // namespace tai
