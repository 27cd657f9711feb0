"""The seed tutorial's linear regression in PyTorch, with the seed the Java demo uses.

Run:  /usr/bin/python3 bench/torch_tutorial.py
Its 'Epoch [..], Loss: ..' lines and final weight/bias are what `./jt demo` (dev.jtensor.demo.Tutorial)
prints: the same data, the same nn.Linear init and the same SGD updates.
"""
import torch
import torch.nn as nn

torch.manual_seed(42)
X = torch.rand(100, 1) * 10
Y = 2 * X + 1 + torch.randn(100, 1)

model = nn.Linear(1, 1)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
print("initial weight {:.4f}, bias {:.4f}".format(model.weight.item(), model.bias.item()))

num_epochs = 100
for epoch in range(num_epochs):
    outputs = model(X)
    loss = criterion(outputs, Y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 10 == 0:
        print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, num_epochs, loss.item()))

print("learned weight {:.4f}, bias {:.4f}".format(model.weight.item(), model.bias.item()))
