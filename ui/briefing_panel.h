#pragma once

#include <QJsonArray>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace tai {
class ScenarioSession;
}

namespace tai::ui {

// The trainee's briefing, docked beside the board for the whole run: the scenario's title and
// story, and its objectives with how each stands (to do, met and when, missed).
class BriefingPanel : public QWidget {
    Q_OBJECT
public:
    explicit BriefingPanel(ScenarioSession& session, QWidget* parent = nullptr);

    // One line per objective as shown: "✓ Acknowledge … — met after 9.9 s".
    QStringList objectiveLines() const;

private:
    void showObjectives(const QJsonArray& evaluated);

    ScenarioSession& session_;
    QLabel* title_;
    QLabel* story_;
    QVBoxLayout* objectivesLayout_;
    std::vector<QLabel*> objectives_;
};

}  // namespace tai::ui
