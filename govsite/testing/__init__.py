"""What the test suite shares and production never imports: the bootstrapped template database
(``database``) and the helpers every app's tests use (``helpers``)."""
