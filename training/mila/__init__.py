"""mila: PyTorch training code for mila-web (mirrors src/runtime/ module by module)."""
