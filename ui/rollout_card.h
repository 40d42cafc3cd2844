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
    QString statusText() const;
    QString regionText(const QString& region) const;

Q_SIGNALS:
    void controlRequested(const QString& deployment, tai::RolloutControl control, const QString& region);

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
    QLabel* title_;
    QGridLayout* grid_;
    QHash<QString, RegionRow> rows_;
    QHash<int, QPushButton*> controls_;
};

}  // namespace tai::ui
