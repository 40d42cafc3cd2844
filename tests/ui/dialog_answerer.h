#pragma once

#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QtTest>

#include <deque>
#include <functional>

// Answers the console's real modal dialogs (QInputDialog and friends) the way an operator does:
// each step runs `whileOpen` with the dialog on screen (snapshots keep arriving under it), then
// fills the dialog and clicks its OK button. Steps are used in order, one per dialog.
class DialogAnswerer : public QObject {
public:
    struct Step {
        std::function<void(QDialog*)> fill;  // may be empty
        std::function<void()> whileOpen;     // may be empty
    };
    explicit DialogAnswerer(std::deque<Step> steps) : steps_(std::move(steps)) {
        timer_.setInterval(5);
        connect(&timer_, &QTimer::timeout, this, &DialogAnswerer::poll);
        timer_.start();
    }
    int answered() const { return answered_; }
    bool done() const { return steps_.empty(); }

private:
    void poll() {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (dialog == nullptr || dialog == last_ || steps_.empty() || busy_) {
            return;
        }
        busy_ = true;
        last_ = dialog;
        const Step step = steps_.front();
        steps_.pop_front();
        if (step.whileOpen) {
            step.whileOpen();
        }
        if (step.fill) {
            step.fill(dialog);
        }
        auto* box = dialog->findChild<QDialogButtonBox*>();
        QPushButton* ok = box != nullptr ? box->button(QDialogButtonBox::Ok) : nullptr;
        if (ok != nullptr) {
            QTest::mouseClick(ok, Qt::LeftButton);
        } else {
            dialog->accept();
        }
        ++answered_;
        busy_ = false;
    }

    std::deque<Step> steps_;
    QTimer timer_;
    QPointer<QDialog> last_;
    int answered_ = 0;
    bool busy_ = false;
};
