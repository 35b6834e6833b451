import './index.css';
import './training.css';
