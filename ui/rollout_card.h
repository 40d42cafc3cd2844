#pragma once

#include "deployments/rollout_types.h"

#include <QFrame>
#include <QHash>

class QGridLayout;
class QLabel;
class QPushButton;

namespace tai::ui {

class HealthSparkline;
class StageChips;

// One deployment: its status, a row per region (stage chips, weight and time against plan, a
// health sparkline, a rollback button), and the §5.5 controls.
class RolloutCard : public QFrame {
    Q_OBJECT
public:
    explicit RolloutCard(const QString& deployment, QWidget* parent = nullptr);

    void showRollout(const RolloutView& view);
    // Its place in the service's revision history; `undoRefusal` empty when an undo to it is allowed.
    // Shown by the next showRollout().
    void showRevision(int revision, const QString& undoRefusal);
    QString statusText() const;
    QString regionText(const QString& region) const;

Q_SIGNALS:
    void controlRequested(const QString& deployment, tai::RolloutControl control, const QString& region);
    void undoRequested(const QString& service, int revision);

private:
    struct RegionRow {
        QLabel* name;
        StageChips* chips;
        QLabel* progress;
        HealthSparkline* health;
        QPushButton* rollback;
    };
    QPushButton* addControl(const QString& text, RolloutControl control, const QString& tip);
    RegionRow& row(const QString& region);

    QString deployment_;
    QString service_;
    int revision_ = 0;
    QString undoRefusal_;
    QPushButton* undo_;
    QLabel* title_;
    QGridLayout* grid_;
    QHash<QString, RegionRow> rows_;
    QHash<int, QPushButton*> controls_;
};

}  // namespace tai::ui
